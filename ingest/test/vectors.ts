import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** Test support: the vendored public vectors (`vectors/devices/*.yaml`), read for the example and fuzz tests. */
export const VECTORS_DIR = fileURLToPath(new URL('../../vectors/devices/', import.meta.url));

/**
 * Vector file -> registered model, and how its expected `data` compares with ours: `exact`
 * (same keys at every level) or `subset` where the file's header says its expected output
 * leaves out fields the bytes carry.
 */
export const VECTOR_FILES: Record<string, { model: string; compare: 'exact' | 'subset' }> = {
  'adeunis-pulse.yaml': { model: 'adeunis/pulse', compare: 'exact' },
  'axioma-qalcosonic-w1.yaml': { model: 'axioma/qalcosonic-w1', compare: 'exact' },
  'cayenne-lpp.yaml': { model: 'cayenne/lpp', compare: 'exact' },
  'decentlab-dl-pm.yaml': { model: 'decentlab/dl-pm', compare: 'exact' },
  'dragino-lt22222-l.yaml': { model: 'dragino/lt22222-l', compare: 'exact' },
  'elsys-ers-co2.yaml': { model: 'elsys/ers-co2', compare: 'exact' },
  'elvaco-cmi4160.yaml': { model: 'elvaco/cmi4160', compare: 'exact' },
  // Header: example 1's `activity: 73` is commented out in the source although the bytes carry it.
  'milesight-am307.yaml': { model: 'milesight-iot/am307', compare: 'subset' },
  'milesight-ct101.yaml': { model: 'milesight-iot/ct101', compare: 'exact' },
  'milesight-em300-di.yaml': { model: 'milesight-iot/em300-di', compare: 'exact' },
  'milesight-em310-udl.yaml': { model: 'milesight-iot/em310-udl', compare: 'exact' },
  'milesight-em400-udl.yaml': { model: 'milesight-iot/em400-udl', compare: 'exact' },
  'milesight-ws558.yaml': { model: 'milesight-iot/ws558', compare: 'exact' },
  'pepperl-fuchs-wilsen-sonic-level.yaml': { model: 'pepperl-fuchs/wilsen-sonic-level', compare: 'exact' },
};

export interface VectorUplink {
  description: string;
  input: { fPort: number; bytes: number[] };
  output: { data?: Record<string, unknown>; errors?: string[]; warnings?: string[] };
}

export interface VectorDownlink {
  description: string;
  input: { data: Record<string, unknown> };
  output: { bytes?: number[]; fPort?: number; errors?: string[] };
}

export interface VectorFile {
  uplinkDecoder: { examples: VectorUplink[] };
  downlinkEncoder?: { examples: VectorDownlink[] };
}

export function vectorFileNames(): string[] {
  return readdirSync(VECTORS_DIR)
    .filter((name) => name.endsWith('.yaml'))
    .sort();
}

export function loadVectorFile(name: string): VectorFile {
  return parse(readFileSync(`${VECTORS_DIR}${name}`, 'utf8')) as VectorFile;
}
