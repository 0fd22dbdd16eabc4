/** 997 Functional Acknowledgment (004010 and 005010 share the structure; AK103/AK203 exist from 005010). */
import type { MessageGrammar } from '../../grammar.ts';
import { loop, s, UNBOUNDED as U } from './dsl.ts';
import { ACK_SEGMENTS } from './ack-segments.ts';

export const GRAMMAR_997: MessageGrammar = {
  standard: 'x12', message: '997', version: '004010', name: 'Functional Acknowledgment',
  children: [
    s('ST', 1, 'M'), s('AK1', 1, 'M'),
    loop('AK2', U, [s('AK2'), loop('AK3', U, [s('AK3'), s('AK4', 99)]), s('AK5', 1, 'M')]),
    s('AK9', 1, 'M'), s('SE', 1, 'M'),
  ],
  segments: ACK_SEGMENTS,
};
