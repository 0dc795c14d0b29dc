/** An adapter_config.json as PEFT's PromptTuningConfig.save_pretrained writes it (fields from peft/src/peft/config.py). */
export function peftConfig(tokens: number, width: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    auto_mapping: null,
    base_model_name_or_path: 't5-small',
    inference_mode: true,
    num_attention_heads: 8,
    num_layers: 6,
    num_transformer_submodules: 1,
    num_virtual_tokens: tokens,
    peft_type: 'PROMPT_TUNING',
    peft_version: '0.17.1',
    prompt_tuning_init: 'RANDOM',
    prompt_tuning_init_text: null,
    revision: null,
    task_type: 'SEQ_2_SEQ_LM',
    token_dim: width,
    tokenizer_kwargs: null,
    tokenizer_name_or_path: null,
    ...over,
  };
}
