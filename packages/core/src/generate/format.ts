/** A number in the budget's unit, for people: `250 ms`, `50 MiB`, `1 %`, `45 fps`. */
export function formatBudgetValue(value: number | undefined | null, unit: string): string {
  if (value === undefined || value === null || Number.isNaN(value)) return 'no data';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  switch (unit) {
    case 's':
      if (Math.abs(value) < 1e-3 && value !== 0) return `${round(value * 1e6)} µs`;
      if (Math.abs(value) < 1) return `${round(value * 1000)} ms`;
      return `${round(value)} s`;
    case 'By': {
      const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
      let v = value;
      let i = 0;
      while (Math.abs(v) >= 1024 && i < units.length - 1) {
        v /= 1024;
        i++;
      }
      return `${round(v)} ${units[i]}`;
    }
    case 'ratio':
      return `${round(value * 100)} %`;
    case '':
      return round(value);
    default:
      return `${round(value)} ${unit}`;
  }
}

function round(v: number): string {
  if (v === 0) return '0';
  const abs = Math.abs(v);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return String(Number(v.toFixed(digits)));
}

/** `app-startup-p95` → `AppStartupP95`. */
export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((p) => p !== '')
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}
