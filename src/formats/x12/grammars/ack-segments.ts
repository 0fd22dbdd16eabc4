/** Segments of the 997 and 999 acknowledgements and the TA1 interchange acknowledgement. */
import type { SegmentDef } from '../../grammar.ts';
import { comp, dict, seg } from './dsl.ts';

const C030 = comp('C030/M/Position in Segment', ['722/N0/1/2/M/Element Position in Segment', '1528/N0/1/2/Component Data Element Position in Composite',
  '1686/N0/1/4/Repeating Data Element Position']);
const C030_OPTIONAL = { ...C030, required: false };
const C998 = comp('C998/M/Context Identification', ['9999/AN/1/35/M/Context Name', '9998/AN/1/35/Context Reference']);
const C999 = comp('C999/Reference in Segment', ['725/N0/1/4/M/Data Element Reference Number', '725/N0/1/4/Data Element Reference Number']);
const codes = (n: number, ref: string, name: string): string[] => Array.from({ length: n }, () => `${ref}/ID/1/3/${name}`);

export const ACK_SEGMENTS: Record<string, SegmentDef> = dict(
  seg('ST', 'Transaction Set Header', ['143/ID/3/3/M/Transaction Set Identifier Code', '329/AN/4/9/M/Transaction Set Control Number',
    '1705/AN/1/35/Implementation Convention Reference']),
  seg('SE', 'Transaction Set Trailer', ['96/N0/1/10/M/Number of Included Segments', '329/AN/4/9/M/Transaction Set Control Number']),
  seg('AK1', 'Functional Group Response Header', ['479/ID/2/2/M/Functional Identifier Code', '28/N0/1/9/M/Group Control Number', '480/AN/1/12/Version / Release / Industry Identifier Code']),
  seg('AK2', 'Transaction Set Response Header', ['143/ID/3/3/M/Transaction Set Identifier Code', '329/AN/4/9/M/Transaction Set Control Number',
    '1705/AN/1/35/Implementation Convention Reference']),
  seg('AK3', 'Data Segment Note', ['721/ID/2/3/M/Segment ID Code', '719/N0/1/10/M/Segment Position in Transaction Set', '447/AN/1/4/Loop Identifier Code',
    '720/ID/1/3/Segment Syntax Error Code']),
  seg('AK4', 'Data Element Note', [C030, '725/N0/1/4/Data Element Reference Number', '723/ID/1/3/M/Data Element Syntax Error Code', '724/AN/1/99/Copy of Bad Data Element']),
  seg('AK5', 'Transaction Set Response Trailer', ['717/ID/1/1/M/Transaction Set Acknowledgment Code', ...codes(5, '718', 'Transaction Set Syntax Error Code')]),
  seg('AK9', 'Functional Group Response Trailer', ['715/ID/1/1/M/Functional Group Acknowledge Code', '97/N0/1/6/M/Number of Transaction Sets Included',
    '123/N0/1/6/M/Number of Received Transaction Sets', '2/N0/1/6/M/Number of Accepted Transaction Sets', ...codes(5, '716', 'Functional Group Syntax Error Code')]),
  seg('IK3', 'Implementation Data Segment Note', ['721/ID/2/3/M/Segment ID Code', '719/N0/1/10/M/Segment Position in Transaction Set', '447/AN/1/4/Loop Identifier Code',
    '620/ID/1/3/M/Implementation Segment Syntax Error Code']),
  seg('CTX', 'Context', [C998, '721/ID/2/3/Segment ID Code', '719/N0/1/10/Segment Position in Transaction Set', '447/AN/1/4/Loop Identifier Code', C030_OPTIONAL, C999]),
  seg('IK4', 'Implementation Data Element Note', [C030, '725/N0/1/4/Data Element Reference Number', '621/ID/1/3/M/Implementation Data Element Syntax Error Code',
    '724/AN/1/99/Copy of Bad Data Element']),
  seg('IK5', 'Implementation Transaction Set Response Trailer', ['717/ID/1/1/M/Transaction Set Acknowledgment Code',
    ...codes(5, '618', 'Implementation Transaction Set Syntax Error Code')]),
);

/** TA1 Interchange Acknowledgment (interchange-level segment, not a transaction set). */
export const TA1_SEGMENT: SegmentDef = seg('TA1', 'Interchange Acknowledgment', ['I12/N0/9/9/M/Interchange Control Number', 'I08/DT/6/6/M/Interchange Date',
  'I09/TM/4/4/M/Interchange Time', 'I17/ID/1/1/M/Interchange Acknowledgment Code', 'I18/ID/3/3/M/Interchange Note Code']);
