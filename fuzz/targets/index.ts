/** Every fuzz target, in the order the runner goes through them. */
import type { FuzzTarget } from '../types.ts';
import { target as x12 } from './x12.ts';
import { target as edifact } from './edifact.ts';
import { target as csv } from './csv.ts';
import { target as xml } from './xml.ts';
import { target as json } from './json.ts';
import { target as as2Mime } from './as2-mime.ts';
import { target as derCms } from './der-cms.ts';
import { target as partnerYaml } from './partner-yaml.ts';
import { target as mappingYaml } from './mapping-yaml.ts';
import { target as mappingRunner } from './mapping-runner.ts';
import { target as translate } from './translate.ts';

export const TARGETS: FuzzTarget[] = [x12, edifact, csv, xml, json, as2Mime, derCms, partnerYaml, mappingYaml, mappingRunner, translate];
