/**
 * The model a cluster job trains: a Hub id (what train.py passes to from_pretrained) and the shape
 * behind it, from the model's own config.json when there is one here, else from the catalogue of
 * known T5 checkpoints. The shape is what lets the export check a prompt's width without the weights.
 */
import { findKnownT5, isHubId, KNOWN_T5 } from '../model/t5Catalogue';
import type { T5Config } from '../model/t5Config';
import { parameterCount } from '../model/t5Parameters';
import { JobError } from './jobError';

export interface JobModel {
  /** What train.py loads: a Hub repo id, or (fromHub false) a path the person fills in on the cluster. */
  id: string;
  fromHub: boolean;
  /** The tokenizer train.py loads: the model's own repo (spiece.model is enough for transformers). */
  tokenizer: string;
  dModel: number;
  numLayers: number;
  numDecoderLayers: number;
  numHeads: number;
  vocabSize: number;
  parameters: number;
}

export interface JobModelInput {
  id: string;
  /** Whether `id` names the model on the Hugging Face Hub (false: a local folder or the demo model). */
  fromHub: boolean;
  /** The model's config.json, parsed; when absent the id must be a known T5. */
  config?: T5Config;
}

export function resolveJobModel(input: JobModelInput): JobModel {
  const id = input.id.trim();
  if (input.fromHub && !isHubId(id)) {
    throw new JobError(`"${id}" is not a Hugging Face model id; give one like google/flan-t5-base`);
  }
  const known = findKnownT5(id);
  const config = input.config ?? known?.config;
  if (known && input.config && (input.config.dModel !== known.config.dModel || input.config.numLayers !== known.config.numLayers)) {
    throw new JobError(
      `the model folder has d_model ${input.config.dModel} and ${input.config.numLayers} layers but ${known.id} has d_model ${known.config.dModel} and ${known.config.numLayers}; the folder is not that model`,
    );
  }
  if (!config) {
    const examples = KNOWN_T5.filter((m) => m.family === 'flan-t5').map((m) => m.id).join(', ');
    throw new JobError(`unknown model id "${id}": its shape is not known here. Pass --model DIR with its config.json (and tokenizer.json), or pick a known T5 such as ${examples}`);
  }
  return {
    id,
    fromHub: input.fromHub,
    tokenizer: id,
    dModel: config.dModel,
    numLayers: config.numLayers,
    numDecoderLayers: config.numDecoderLayers,
    numHeads: config.numHeads,
    vocabSize: config.vocabSize,
    parameters: parameterCount(config),
  };
}

/** The prompt a job starts from must fit the model it will train on, and have the recipe's length. */
export function checkWarmStart(prompt: { length: number; width: number }, model: JobModel, promptLength: number): void {
  if (prompt.width !== model.dModel) {
    throw new JobError(`the prompt is ${prompt.width} wide but ${model.id} has d_model ${model.dModel}; a prompt only fits a model of its own width`);
  }
  if (prompt.length !== promptLength) {
    throw new JobError(`the prompt has ${prompt.length} tokens but the prompt length is ${promptLength}; leave --prompt-length out to use the prompt's, or give ${prompt.length}`);
  }
}
