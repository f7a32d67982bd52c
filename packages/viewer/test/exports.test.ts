import { describe, expect, it } from 'vitest';
import * as viewer from '@lookout/viewer';

describe('@lookout/viewer exports', () => {
  it('should expose the documented surface', () => {
    for (const name of ['startViewer', 'resolveViewerOptions', 'bucketQuantile']) expect(typeof (viewer as Record<string, unknown>)[name], name).toBe('function');
    expect(viewer.DEFAULT_VIEWER_HOST).toBe('127.0.0.1');
    expect(viewer.DEFAULT_MAX_SERIES).toBe(10_000);
    expect(viewer.DEFAULT_MAX_RECORDS_PER_SECOND).toBe(1_000);
    expect(viewer.QUANTILES).toEqual([0.5, 0.95, 0.99]);
    expect(Object.keys(viewer).sort()).toMatchSnapshot();
  });
});
