import { formatDuration } from '../../src/domain/durations';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateTimeSeconds = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** A UTC ISO timestamp shown in the browser's zone. */
export function formatLocal(iso: string, withSeconds = false): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return (withSeconds ? dateTimeSeconds : dateTime).format(date);
}

/** Seconds as `12m` or `1h 05m`; an em dash when unknown. */
export function formatSeconds(seconds: number | null | undefined): string {
  return seconds === null || seconds === undefined ? '—' : formatDuration(seconds);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** UTC ISO -> value for `<input type="datetime-local">` in the browser's zone (seconds kept when present). */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const base = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return d.getSeconds() === 0 ? base : `${base}:${pad(d.getSeconds())}`;
}

/** Value of a `datetime-local` input (browser zone) -> UTC ISO, or null when empty or unparseable. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** `YYYY-MM-DD` from a date input -> UTC ISO of the start (or end) of that day in the browser's zone. */
export function dayBoundary(day: string | undefined, edge: 'start' | 'end'): string | undefined {
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const d = new Date(`${day}T00:00:00`);
  if (Number.isNaN(d.getTime())) return undefined;
  if (edge === 'end') d.setHours(23, 59, 59, 999);
  return d.toISOString();
}

const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

/** `Nov 26, 2026, 9:07 PM – 11:07 PM`, naming the day once when both ends fall on it. */
export function formatRange(startIso: string, endIso: string): string {
  const start = new Date(startIso);
  const end = new Date(endIso);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return `${startIso} – ${endIso}`;
  const sameDay = start.toDateString() === end.toDateString();
  return `${dateTime.format(start)} – ${sameDay ? timeOnly.format(end) : dateTime.format(end)}`;
}

const sizeNumber = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const sizeChange = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1, signDisplay: 'exceptZero' });

/** A byte count in decimal units (`812 B`, `4.2 kB`, `1.3 MB`); `signed` writes `+` on growth, for changes. */
export function formatBytes(bytes: number, signed = false): string {
  const number = signed ? sizeChange : sizeNumber;
  const size = Math.abs(bytes);
  if (size < 1000) return `${number.format(bytes)} B`;
  if (size < 1_000_000) return `${number.format(bytes / 1000)} kB`;
  return `${number.format(bytes / 1_000_000)} MB`;
}
