/** Mutation hints for YAML: indentation, flow collections, anchors/aliases, tags, block scalars. */
import type { Dialect } from '../types.ts';

export const YAML_DIALECT: Dialect = {
  delimiters: [':', '-', ' ', '\n', '#', '&', '*', '[', ']', '{', '}', ',', '"', "'", '|', '>', '!', '?'],
  segmentEnds: ['\n'],
  nesting: [['[', ']'], ['{a: ', '}'], ['- ', ''], ['&a [*a, ', ']'], ['!!map {', '}'], ['? ', ''], ['"', '"']],
};
