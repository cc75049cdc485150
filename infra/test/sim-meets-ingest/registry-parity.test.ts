import { ENCODERS } from '@city/firmware-sim';
import { CODECS } from '@city/ingest';
import { describe, expect, it } from 'vitest';
import { compareModels, describeProblem, type ModelList } from '../support/model-parity.ts';

const CODEC_SIDE = 'ingest CODECS';
const ENCODER_SIDE = 'firmware-sim ENCODERS';

describe('one list of device models', () => {
  it('ingest decodes exactly the models firmware-sim encodes, each registered once', () => {
    const codecs: ModelList = { side: CODEC_SIDE, models: CODECS.map((c) => c.model) };
    const encoders: ModelList = { side: ENCODER_SIDE, models: ENCODERS.map((e) => e.model) };
    expect(codecs.models.length).toBeGreaterThan(0);
    expect(compareModels(codecs, encoders).map(describeProblem)).toEqual([]);
  });
});

describe('the parity check', () => {
  // Both sides start from one list of the real ids, so these prove the check itself whether or
  // not the real registries agree today.
  const models = [...new Set(CODECS.map((c) => c.model))].sort();
  const side = (name: string, list: readonly string[] = models): ModelList => ({ side: name, models: list });
  const without = (model: string) => models.filter((m) => m !== model);

  it('finds nothing when both sides hold the same models, in any order', () => {
    expect(compareModels(side(CODEC_SIDE), side(ENCODER_SIDE, [...models].reverse()))).toEqual([]);
  });

  it.each(models)('names %s as missing from the codecs when only the encoders have it', (model) => {
    const problems = compareModels(side(CODEC_SIDE, without(model)), side(ENCODER_SIDE));
    expect(problems).toEqual([{ kind: 'missing', model, side: CODEC_SIDE, foundIn: ENCODER_SIDE }]);
    expect(problems.map(describeProblem)).toEqual([`${model} is missing from ${CODEC_SIDE} (${ENCODER_SIDE} has it)`]);
  });

  it.each(models)('names %s as missing from the encoders when only the codecs have it', (model) => {
    const problems = compareModels(side(CODEC_SIDE), side(ENCODER_SIDE, without(model)));
    expect(problems).toEqual([{ kind: 'missing', model, side: ENCODER_SIDE, foundIn: CODEC_SIDE }]);
    expect(problems.map(describeProblem)).toEqual([`${model} is missing from ${ENCODER_SIDE} (${CODEC_SIDE} has it)`]);
  });

  it('names a model registered twice, and the side that does it', () => {
    const [model = ''] = models;
    const problems = compareModels(side(CODEC_SIDE), side(ENCODER_SIDE, [...models, model]));
    expect(problems).toEqual([{ kind: 'duplicate', model, side: ENCODER_SIDE, times: 2 }]);
    expect(problems.map(describeProblem)).toEqual([`${model} is registered 2 times in ${ENCODER_SIDE}`]);
  });

  it('shows a model renamed on one side as missing on both', () => {
    const [model = ''] = models;
    const renamed = models.map((m) => (m === model ? `${m}-v2` : m));
    expect(compareModels(side(CODEC_SIDE, renamed), side(ENCODER_SIDE))).toEqual([
      { kind: 'missing', model, side: CODEC_SIDE, foundIn: ENCODER_SIDE },
      { kind: 'missing', model: `${model}-v2`, side: ENCODER_SIDE, foundIn: CODEC_SIDE },
    ]);
  });
});
