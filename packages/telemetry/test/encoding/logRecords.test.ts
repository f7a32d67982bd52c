import { describe, expect, it } from 'vitest';
import { recordAttributes } from '../../src/encoding/logRecords.js';
import type { TelemetryEvent } from '../../src/types.js';

function event(properties: TelemetryEvent['properties'], overrides: Partial<TelemetryEvent> = {}): TelemetryEvent {
  return { id: 'e1', name: 'click', timestamp: 1, sessionId: 's1', appVersion: '1.0.0', platform: 'browser', properties, ...overrides };
}

describe('recordAttributes', () => {
  it('should list the properties in their order, then the event fields, which win over properties of the same name', () => {
    const attributes = recordAttributes(event({ b: 1, 'session.id': 'spoofed', a: 'x', 7: true }, { userId: 'u1', anonymousId: 'anon', sampleRate: 0.5 }));
    expect(Object.entries(attributes)).toEqual([
      ['7', true],
      ['b', 1],
      ['session.id', 's1'],
      ['a', 'x'],
      ['event.id', 'e1'],
      ['user.id', 'u1'],
      ['enduser.pseudo.id', 'anon'],
      ['lookout.sample_rate', 0.5],
    ]);
  });

  it('should keep a __proto__ property (as JSON.parse makes it) as an own attribute, leaving the prototype alone', () => {
    const properties = JSON.parse('{"before":1,"__proto__":{"polluted":true},"after":2}') as TelemetryEvent['properties'];
    const attributes = recordAttributes(event(properties));
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
    expect(Object.keys(attributes)).toEqual(['before', '__proto__', 'after', 'event.id', 'session.id']);
    expect(Object.getOwnPropertyDescriptor(attributes, '__proto__')?.value).toEqual({ polluted: true });
    expect((attributes as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('should not change the event', () => {
    const properties = { a: 1 };
    recordAttributes(event(properties));
    expect(properties).toEqual({ a: 1 });
  });
});
