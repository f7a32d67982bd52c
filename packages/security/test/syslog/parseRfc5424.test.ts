import { describe, expect, it } from 'vitest';
import { parseRfc5424 } from '../helpers/parseRfc5424.js';

describe('parseRfc5424 (test helper)', () => {
  it('should accept the examples of RFC 5424 section 6.5', () => {
    expect(parseRfc5424('<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \u00ef\u00bb\u00bf\'su root\' failed')).toMatchObject({ facility: 4, severity: 2, msgId: 'ID47' });
    expect(parseRfc5424('<165>1 2003-10-11T22:14:15.003000-07:00 192.0.2.1 myproc 8710 - - %% It\'s time to make the do-nuts.').procId).toBe('8710');
    const sd = parseRfc5424('<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"]');
    expect(sd.structuredData.map((e) => e.id)).toEqual(['exampleSDID@32473', 'examplePriority@32473']);
    expect(sd.msg).toBeNull();
  });

  it.each([
    ['no PRI', '1 2003-10-11T22:14:15Z h a p m -'],
    ['PRI above 191', '<192>1 2003-10-11T22:14:15Z h a p m -'],
    ['version 0', '<34>0 2003-10-11T22:14:15Z h a p m -'],
    ['bad month', '<34>1 2003-13-11T22:14:15Z h a p m -'],
    ['7 fraction digits', '<34>1 2003-10-11T22:14:15.1234567Z h a p m -'],
    ['no offset', '<34>1 2003-10-11T22:14:15 h a p m -'],
    ['MSGID too long', `<34>1 - h a p ${'m'.repeat(33)} -`],
    ['unescaped ] in a value', '<34>1 - h a p m [x@1 a="b]c"]'],
    ['space in SD-ID', '<34>1 - h a p m [x @1]'],
    ['control character in HOSTNAME', '<34>1 - h\u0007 a p m -'],
    ['no SP before MSG', '<34>1 - h a p m -msg'],
  ])('should reject %s', (_name, input) => {
    expect(() => parseRfc5424(input)).toThrow(/RFC 5424/);
  });
});
