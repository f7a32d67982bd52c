import type { InstrumentOptions } from '../types.js';

/** The option key that marks an instrument Lookout defines for itself in a host's registry. Not on the public types. */
export const OWN_INSTRUMENT: unique symbol = Symbol('lookout.own-instrument');

/**
 * `options` for one of Lookout's own instruments (`lookout_metric_records_dropped_total`, the
 * delivery and budget metrics): the registry keeps every series of it, whatever its
 * `seriesTtlMs` (a drop count that vanished would lose what it counted), and never cuts its
 * label values to `maxLabelValueLength` (they are metric names, reasons and signal or budget
 * names Lookout writes, each bounded by its own definition).
 */
export function ownInstrument<O extends InstrumentOptions<string>>(options: O): O {
  return { ...options, [OWN_INSTRUMENT]: true };
}

/** Whether `options` came from {@link ownInstrument}. */
export function isOwnInstrument(options: object): boolean {
  return (options as { [OWN_INSTRUMENT]?: unknown })[OWN_INSTRUMENT] === true;
}
