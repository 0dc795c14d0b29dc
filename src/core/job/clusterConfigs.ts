/**
 * How a job runs on GPUs: the precision and sharding its model's size calls for, and the two
 * launch configurations it ships: Accelerate across the GPUs of one machine (data parallel), and
 * Accelerate with DeepSpeed ZeRO-3, which splits the frozen weights over the GPUs, for XL and XXL.
 */
import type { JobModel } from './jobModel';

export interface ClusterProfile {
  /** fp32 up to T5-large; bf16 (what T5 v1.1 was trained in; fp16 overflows in T5) above. */
  precision: 'fp32' | 'bf16';
  /** Shard the frozen weights with DeepSpeed ZeRO-3 (XL and XXL). */
  zero3: boolean;
  /** Recompute activations in the backward pass: the gradient reaches the prompt through every layer. */
  gradientCheckpointing: boolean;
}

/** Above this many parameters (T5-large has 0.78 B, XL 2.85 B) a job shards the model and uses bf16. */
export const ZERO3_ABOVE_PARAMETERS = 1.5e9;

export function clusterProfile(model: Pick<JobModel, 'parameters'>): ClusterProfile {
  const big = model.parameters > ZERO3_ABOVE_PARAMETERS;
  return { precision: big ? 'bf16' : 'fp32', zero3: big, gradientCheckpointing: big };
}

export const ACCELERATE_MULTI_GPU = 'accelerate/multi_gpu.yaml';
export const ACCELERATE_ZERO3 = 'accelerate/zero3.yaml';
export const DEEPSPEED_ZERO3 = 'deepspeed/zero3.json';

/** Data parallel over every GPU of one machine; num_processes is the one line to edit. */
export function accelerateMultiGpu(profile: ClusterProfile): string {
  return `# accelerate launch --config_file ${ACCELERATE_MULTI_GPU} train.py
# One process per GPU on this machine: set num_processes to the number of GPUs (it must divide the batch size).
compute_environment: LOCAL_MACHINE
distributed_type: MULTI_GPU
num_machines: 1
machine_rank: 0
num_processes: 8
gpu_ids: all
mixed_precision: '${profile.precision === 'bf16' ? 'bf16' : 'no'}'
use_cpu: false
main_training_function: main
`;
}

/** ZeRO-3 through Accelerate: the precision and batch settings live in the DeepSpeed file, filled in by the Trainer. */
export function accelerateZero3(): string {
  return `# accelerate launch --config_file ${ACCELERATE_ZERO3} train.py
# DeepSpeed ZeRO-3 splits the frozen weights over the GPUs (needed for XL and XXL); install deepspeed first.
# Several machines: set num_machines, machine_rank, main_process_ip and num_processes (all GPUs in total).
compute_environment: LOCAL_MACHINE
distributed_type: DEEPSPEED
deepspeed_config:
  deepspeed_config_file: ${DEEPSPEED_ZERO3}
  zero3_init_flag: true
num_machines: 1
machine_rank: 0
num_processes: 8
use_cpu: false
main_training_function: main
`;
}

/**
 * "auto" values are filled in by transformers' Trainer from train.py's TrainingArguments (batch,
 * accumulation, precision, gradient clipping, which is off). Adafactor is not one of DeepSpeed's
 * own optimisers, hence zero_allow_untested_optimizer.
 */
export function deepspeedZero3(): string {
  const config = {
    bf16: { enabled: 'auto' },
    zero_optimization: {
      stage: 3,
      overlap_comm: true,
      contiguous_gradients: true,
      reduce_bucket_size: 'auto',
      stage3_prefetch_bucket_size: 'auto',
      stage3_param_persistence_threshold: 'auto',
      stage3_max_live_parameters: 1e9,
      stage3_max_reuse_distance: 1e9,
      stage3_gather_16bit_weights_on_model_save: false,
    },
    zero_allow_untested_optimizer: true,
    gradient_accumulation_steps: 'auto',
    gradient_clipping: 'auto',
    train_batch_size: 'auto',
    train_micro_batch_size_per_gpu: 'auto',
    steps_per_print: 1_000_000,
    wall_clock_breakdown: false,
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
