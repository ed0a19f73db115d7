import { builtinProviders, configuredProviders, defaultPrices, loadConfig } from '@aura/engine';
import { oneOf, parseCommandArgs } from '../args.ts';
import { exitCodes } from '../errors.ts';
import { createStyle } from '../style.ts';

interface ProviderListing {
  provider: string;
  configured: boolean;
  credentials: string[];
  models: string[];
}

export async function modelsCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, { format: { type: 'string' }, dir: { type: 'string' } });
  const format = oneOf(values.format, ['text', 'json'] as const, '--format', 'text');
  const config = await loadConfig({ dir: values.dir ?? process.cwd() });
  const configured = new Set(configuredProviders(config, process.env));
  const names = [...new Set([...Object.keys(builtinProviders), ...Object.keys(config.providers ?? {})])];
  const listing: ProviderListing[] = names.map((provider) => ({
    provider,
    configured: configured.has(provider),
    credentials: builtinProviders[provider]?.keyEnv ?? [`providers.${provider} in the config file`],
    models: [
      ...(builtinProviders[provider]?.models ?? []),
      ...(config.providers?.[provider]?.models ?? []),
    ].map((m) => `${provider}/${m}`),
  }));
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify(listing, null, 2)}\n`);
    return exitCodes.ok;
  }
  const style = createStyle(process.stdout);
  for (const entry of listing) {
    const status = entry.configured
      ? style.green('configured')
      : style.dim(`not configured (${entry.credentials.join(', ') || 'local'})`);
    process.stdout.write(`${style.bold(entry.provider)}  ${status}\n`);
    for (const model of entry.models) {
      const price = defaultPrices[model];
      const priceText = price ? style.dim(`  $${price.input}/$${price.output} per 1M tokens in/out`) : '';
      process.stdout.write(`  ${model}${priceText}\n`);
    }
  }
  process.stdout.write(
    style.dim(
      '\nAny model id the provider serves works: --model provider/model. Scripted: --model script:<file.json>\n',
    ),
  );
  return exitCodes.ok;
}
