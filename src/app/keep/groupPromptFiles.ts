/**
 * Picked files → prompts: a PEFT adapter is a pair (adapter_model.safetensors + adapter_config.json)
 * and stays together; every other file is a prompt of its own (several make an ensemble).
 */
export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

export function groupPromptFiles(files: NamedBytes[]): NamedBytes[][] {
  const adapter = files.filter((f) => f.name === 'adapter_model.safetensors' || f.name === 'adapter_config.json');
  const rest = files.filter((f) => !adapter.includes(f));
  return [...(adapter.length ? [adapter] : []), ...rest.map((f) => [f])];
}
