/** 999 Implementation Acknowledgment, 005010X231A1. */
import type { MessageGrammar } from '../../grammar.ts';
import { loop, s, UNBOUNDED as U } from './dsl.ts';
import { ACK_SEGMENTS } from './ack-segments.ts';

export const GRAMMAR_999: MessageGrammar = {
  standard: 'x12', message: '999', version: '005010X231A1', name: 'Implementation Acknowledgment',
  children: [
    s('ST', 1, 'M'), s('AK1', 1, 'M'),
    loop('AK2', U, [s('AK2'), loop('IK3', U, [s('IK3'), s('CTX', 10), loop('IK4', 99, [s('IK4'), s('CTX', 10)])]), s('IK5', 1, 'M')]),
    s('AK9', 1, 'M'), s('SE', 1, 'M'),
  ],
  segments: ACK_SEGMENTS,
};
