import { describe, expect, it } from 'vitest';
import { extractMessage, normaliseSeverity } from './extract.js';

describe('extractMessage', () => {
  it('takes msg and a numeric pino level from a JSON line', () => {
    expect(extractMessage('{"level":50,"time":1714550400000,"msg":"payment declined","orderId":7}')).toEqual({
      message: 'payment declined',
      severity: 'error',
      structured: true,
    });
  });

  it('prefers msg, then message, then log, then body', () => {
    expect(extractMessage('{"body":"b","log":"l","message":"m","msg":"x"}').message).toBe('x');
    expect(extractMessage('{"body":"b","log":"l","message":"m"}').message).toBe('m');
    expect(extractMessage('{"body":"b","log":"l"}').message).toBe('l');
    expect(extractMessage('{"body":"b"}').message).toBe('b');
  });

  it('skips message fields that are not strings', () => {
    expect(extractMessage('{"msg":{"nested":true},"message":"plain"}').message).toBe('plain');
  });

  it('reads an OTLP body given as a string value', () => {
    expect(extractMessage('{"severityText":"WARN","body":{"stringValue":"queue depth high"}}')).toEqual({
      message: 'queue depth high',
      severity: 'warn',
      structured: true,
    });
  });

  it('drops the trailing newline Docker keeps in its log field', () => {
    expect(extractMessage('{"log":"listening on :8080\\n","stream":"stdout"}').message).toBe('listening on :8080');
  });

  it('decodes JSON escapes in the message', () => {
    expect(extractMessage('{"msg":"said \\"hi\\" \\u00e9"}').message).toBe('said "hi" é');
  });

  it.each([
    ['{"level":"warning","msg":"m"}', 'warn'],
    ['{"severity":"ERROR","msg":"m"}', 'error'],
    ['{"lvl":"dbg","msg":"m"}', 'debug'],
    ['{"levelname":"CRITICAL","msg":"m"}', 'fatal'],
    ['{"log.level":"info","message":"m"}', 'info'],
    ['{"log":{"level":"error"},"message":"m"}', 'error'],
    ['{"level":"verbose","severity":"notice","msg":"m"}', 'info'],
    ['{"msg":"m"}', null],
  ])('reads the severity of %s', (line, severity) => {
    expect(extractMessage(line).severity).toBe(severity);
  });

  it('gives a JSON record without a message field as a whole, still with its severity', () => {
    const line = '{"level":"error","event":"timeout"}';
    expect(extractMessage(line)).toEqual({ message: line, severity: 'error', structured: true });
  });

  it('treats malformed JSON, arrays and plain text as text', () => {
    for (const line of ['{"msg": "unterminated}', '["a","b"]', 'plain text line', '{not json}']) {
      expect(extractMessage(line)).toMatchObject({ message: line, structured: false });
    }
  });

  it.each([
    ['2024-05-01 10:00:01 WARN pool exhausted', 'warn'],
    ['[error] upstream timed out', 'error'],
    ['ts=2024-05-01T10:00:00Z level=error msg="boom"', 'error'],
    ['E0501 10:00:00.000000 1 reflector.go:138] watch failed', 'error'],
    ['I0501 10:00:00.000000 1 leaderelection.go:258] acquired lease', 'info'],
    ['A0501 is not a klog line', null],
    ['<warning> disk at 91%', 'warn'],
    ['error budget report sent', null],
    ['connection reset by peer', null],
    ['one two three four ERROR', null],
  ])('reads the severity of plain text %j', (line, severity) => {
    expect(extractMessage(line)).toEqual({ message: line, severity, structured: false });
  });
});

describe('normaliseSeverity', () => {
  it('maps pino levels', () => {
    expect([10, 20, 30, 40, 50, 60].map(normaliseSeverity)).toEqual([
      'trace',
      'debug',
      'info',
      'warn',
      'error',
      'fatal',
    ]);
  });

  it('maps syslog priorities', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(normaliseSeverity)).toEqual([
      'fatal',
      'fatal',
      'fatal',
      'error',
      'warn',
      'info',
      'info',
      'debug',
    ]);
  });

  it('gives null for what it does not know', () => {
    expect(normaliseSeverity('loud')).toBeNull();
    expect(normaliseSeverity(-1)).toBeNull();
    expect(normaliseSeverity(NaN)).toBeNull();
    expect(normaliseSeverity(true)).toBeNull();
  });
});
