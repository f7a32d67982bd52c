import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as root from '@lookout/telemetry';
import * as node from '@lookout/telemetry/node';
import * as browser from '@lookout/telemetry/browser';
import * as page from '@lookout/telemetry/page';

describe('@lookout/telemetry', () => {
  describe('exports', () => {
    it('should expose the documented surface from the root entry', () => {
      expect(Object.keys(root).sort()).toEqual(
        [
          'COMMAND_EVENT_NAME',
          'DEFAULT_APP_NAME',
          'DEFAULT_APP_VERSION',
          'DEFAULT_CIRCUIT_COOLDOWN_MS',
          'DEFAULT_CIRCUIT_FAILURE_THRESHOLD',
          'DEFAULT_FLUSH_INTERVAL_MS',
          'DEFAULT_FORMAT',
          'DEFAULT_MAX_BATCH_BYTES',
          'DEFAULT_MAX_BATCH_EVENTS',
          'DEFAULT_MAX_QUEUE_BYTES',
          'DEFAULT_MAX_QUEUE_EVENTS',
          'DEFAULT_MAX_RETRY_AFTER_MS',
          'DEFAULT_RETRY_INITIAL_BACKOFF_MS',
          'DEFAULT_RETRY_MAX_ATTEMPTS',
          'DEFAULT_RETRY_MAX_BACKOFF_MS',
          'DEFAULT_SEND_TIMEOUT_MS',
          'DEFAULT_SIGNAL',
          'FEATURE_EVENT_NAME',
          'JSON_CONTENT_TYPE',
          'MAX_EVENT_NAME_LENGTH',
          'MAX_PROPERTY_DEPTH',
          'MAX_PROPERTY_KEY_LENGTH',
          'MIN_GZIP_BYTES',
          'OTLP_PROTO_CONTENT_TYPE',
          'TELEMETRY_DROP_REASONS',
          'TELEMETRY_SDK_NAME',
          'TELEMETRY_SDK_VERSION',
          'createEncoder',
          'createOtlpJsonEncoder',
          'createTelemetryClient',
          'encodeJsonBatch',
          'estimateEventBytes',
          'findEventIssue',
          'isJsonValue',
          'isTelemetryEvent',
          'jsonValueSchema',
          'observeTelemetryStats',
          'resolveTelemetryOptions',
          'streamGzip',
          'telemetryEventSchema',
          'telemetryOptionsSchema',
          'withCompression',
        ].sort(),
      );
    });

    it('should expose the Node and browser entries by subpath', () => {
      expect(typeof node.createNodeTelemetryClient).toBe('function');
      expect(typeof node.createFileSpool).toBe('function');
      expect(typeof node.makeNodeHttpTransport).toBe('function');
      expect(typeof browser.createBrowserTelemetryClient).toBe('function');
      expect(typeof browser.createIndexedDbStore).toBe('function');
    });

    it('should expose the lean page client by subpath', () => {
      expect(Object.keys(page).sort()).toEqual(
        ['DEFAULT_PAGE_MAX_BATCH_EVENTS', 'DEFAULT_PAGE_MAX_QUEUE_EVENTS', 'MAX_PAGE_EVENT_NAME_LENGTH', 'MAX_PAGE_PROPERTY_DEPTH', 'PAGE_DROP_REASONS', 'createOtlpJsonEncoder', 'createPageClient'].sort(),
      );
    });

    it('should expose the lite client by subpath', async () => {
      const lite = await import('@lookout/telemetry/lite');
      expect(Object.keys(lite).sort()).toEqual(['LITE_DROP_REASONS', 'createLiteClient']);
    });

    it('should keep TELEMETRY_SDK_VERSION equal to package.json', () => {
      const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../package.json'), 'utf8')) as { version: string };
      expect(root.TELEMETRY_SDK_VERSION).toBe(pkg.version);
    });
  });

  describe('browser safety', () => {
    it('should never import a node: module from the root or browser sources', () => {
      const files: string[] = [];
      const walk = (dir: string): void => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          const path = resolve(dir, entry.name);
          if (entry.isDirectory()) {
            if (entry.name !== 'node') walk(path);
          } else if (entry.name.endsWith('.ts')) files.push(path);
        }
      };
      walk(resolve(import.meta.dirname, '../src'));
      expect(files.length).toBeGreaterThan(5);
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        expect(text, file).not.toMatch(/from ['"]node:/);
        expect(text, file).not.toMatch(/from ['"]\.\.?\/(\.\.\/)?node\//);
      }
    });
  });
});
