/**
 * X12 unit-of-measure codes (data element 355) and their UN/ECE Recommendation 20 common codes,
 * the canonical model's units. Codes without a Rec 20 equivalent here pass through unchanged.
 */
export const X12_TO_REC20: Readonly<Record<string, string>> = {
  EA: 'EA', // each
  CA: 'CS', // case
  BX: 'BX', // box
  DZ: 'DZN', // dozen
  PK: 'PK', // pack
  PR: 'PR', // pair
  CT: 'CT', // carton
  LB: 'LBR', // pound
  KG: 'KGM', // kilogram
  GR: 'GRM', // gram
  OZ: 'ONZ', // ounce
  FT: 'FOT', // foot
  IN: 'INH', // inch
  YD: 'YRD', // yard
  MR: 'MTR', // metre
  CM: 'CMT', // centimetre
  LT: 'LTR', // litre
  ML: 'MLT', // millilitre
  GA: 'GLL', // US gallon
  HR: 'HUR', // hour
  DA: 'DAY', // day
};

export const REC20_TO_X12: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(X12_TO_REC20).map(([x12, rec20]) => [rec20, x12]),
);
