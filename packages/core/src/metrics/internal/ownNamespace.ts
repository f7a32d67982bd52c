/** Lookout's namespace: every instrument Lookout's packages define in a host's registry is named in it. */
const OWN_PREFIX = 'lookout.';

/**
 * Whether the instrument `name` is one of Lookout's own (`lookout.*`: the drop, delivery, push,
 * spool, telemetry, errors, security, budget and viewer metrics of every package): the registry
 * keeps every series of it, whatever its `seriesTtlMs` (a drop count that vanished would lose
 * what it counted), and never cuts its label values to `maxLabelValueLength` (they are metric
 * names, reasons and signal or budget names Lookout writes, each bounded by its own definition).
 */
export function isOwnInstrument(name: string): boolean {
  return name.startsWith(OWN_PREFIX);
}
