import { describe, expect, it } from 'vitest';
import * as node from '@lookout/node';
import * as cli from '@lookout/node/cli';

describe('@lookout/node', () => {
  describe('exports', () => {
    it('should export the public functions and constants by name', () => {
      for (const name of ['initMonitoring', 'getMonitoring', 'resolveNodeOptions', 'nodeOptionsSchema', 'readEnvOptions', 'createRuntimeMetrics', 'snappyEncode', 'encodeWriteRequest', 'createRemoteWriter', 'parseExposition', 'mergeExpositions', 'createPayloadSpool', 'workerRole']) {
        expect(typeof (node as Record<string, unknown>)[name], name).toBe('function');
      }
      expect(node.DEFAULT_EXIT_DEADLINE_MS).toBe(2000);
      expect(Object.keys(node.LOOKOUT_ENV_VARS)).toContain('LOOKOUT_REMOTE_WRITE_URL');
    });

    it('should export the lookout command from ./cli', () => {
      expect(typeof cli.runLookoutCli).toBe('function');
      expect(cli.CLI_EXIT).toEqual({ OK: 0, CHECK_FAILED: 1, USAGE: 2 });
    });
  });
});
