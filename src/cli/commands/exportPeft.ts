/** `export-peft`: write a prompt as a Hugging Face PEFT prompt-tuning adapter folder. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { exportPeftZip, importPrompt } from '../../core/promptFile/peftAdapter';
import { CliError } from '../cliError';
import { parse, required } from '../args';

const USAGE = 'export-peft --prompt FILE --out DIR';

export async function exportPeft(argv: string[]): Promise<void> {
  const a = parse(argv, { prompt: { type: 'string' }, out: { type: 'string' } }, USAGE);
  const promptPath = required(a.prompt, '--prompt', USAGE);
  const out = required(a.out, '--out', USAGE);
  const bytes = await readFile(promptPath).catch(() => {
    throw new CliError(`cannot read prompt ${promptPath}`);
  });
  const file = importPrompt([{ name: path.basename(promptPath), bytes: new Uint8Array(bytes) }]);
  const files = unzipSync(exportPeftZip(file.prompt, file.metadata));
  await mkdir(out, { recursive: true });
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(out, name), content);
  process.stderr.write(`wrote ${Object.keys(files).join(' and ')} to ${out}\n`);
}
