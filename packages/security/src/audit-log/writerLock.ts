import { randomUUID } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';

/** What a lock file says about the writer holding it. */
export interface AuditLockOwner {
  pid: number;
  hostname: string;
  /** When the lock was taken (ISO 8601). */
  startedAt: string;
  /** Random per acquisition: tells this lock from a later one at the same path. */
  token: string;
  /** Linux boot id: a different one means the owner died in an earlier boot. */
  bootId?: string;
  /** Linux process start time (clock ticks since boot): tells the owner from a later process given the same pid. */
  procStart?: string;
}

/** A lock this process holds. */
export interface HeldAuditLock {
  readonly path: string;
  readonly owner: AuditLockOwner;
  /** `true` while the lock file is still this one (nobody removed or replaced it). */
  stillHeld(): Promise<boolean>;
  /** Removes the lock file if it is still this one. Never rejects. */
  release(): Promise<void>;
}

export type AcquireResult =
  | { kind: 'acquired'; lock: HeldAuditLock; tookOverFrom: AuditLockOwner | undefined }
  | { kind: 'busy'; owner: AuditLockOwner | undefined };

/** An unreadable lock file younger than this may be one being written (exclusive-create fallback): it is left alone. */
export const AUDIT_LOCK_UNREADABLE_GRACE_MS = 10_000;
/** Stale locks judged and broken (by this or another process) before reporting the lock busy. */
const MAX_TAKEOVER_ROUNDS = 5;

/** Locks (and break turns) this process holds, by path: the `exit` handler releases them. */
const heldByThisProcess = new Map<string, AuditLockOwner>();
/**
 * Tokens of this process's acquisitions, from the first attempt until they give up or release:
 * a lock file naming this pid is live only with one of these (a lock just created is live before
 * its acquisition has returned).
 */
const liveTokens = new Set<string>();
let exitHandlerInstalled = false;

function releaseAllSync(): void {
  for (const [path, owner] of heldByThisProcess) releaseSync(path, owner.token);
  heldByThisProcess.clear();
}

function releaseSync(path: string, token: string): void {
  try {
    if (parseOwner(readFileSync(path, 'utf8'))?.token === token) unlinkSync(path);
  } catch {
    // Gone already, or unreadable: nothing of ours to remove.
  }
}

/** Records (`owner`) or forgets (`undefined`: only if `token` is still the one recorded) a lock of this process. */
function track(path: string, owner: AuditLockOwner | undefined, token?: string): void {
  if (owner !== undefined) heldByThisProcess.set(path, owner);
  else if (heldByThisProcess.get(path)?.token === token) heldByThisProcess.delete(path);
  const want = heldByThisProcess.size > 0;
  if (want === exitHandlerInstalled) return;
  exitHandlerInstalled = want;
  if (want) process.on('exit', releaseAllSync);
  else process.off('exit', releaseAllSync);
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function parseOwner(text: string): AuditLockOwner | undefined {
  try {
    const o = JSON.parse(text) as Partial<AuditLockOwner> | null;
    if (o === null || typeof o !== 'object') return undefined;
    if (typeof o.pid !== 'number' || typeof o.hostname !== 'string' || typeof o.token !== 'string') return undefined;
    return { pid: o.pid, hostname: o.hostname, startedAt: String(o.startedAt), token: o.token, ...(typeof o.bootId === 'string' ? { bootId: o.bootId } : {}), ...(typeof o.procStart === 'string' ? { procStart: o.procStart } : {}) };
  } catch {
    return undefined;
  }
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/<pid>/stat (after the parenthesised command name, which may hold spaces). */
async function procStartOf(pid: number | 'self'): Promise<string | undefined> {
  const text = await readOptional(`/proc/${pid}/stat`);
  if (text === undefined) return undefined;
  return text.slice(text.lastIndexOf(')') + 2).split(' ')[19];
}

function safeHostname(): string {
  try {
    return osHostname();
  } catch {
    return 'unknown';
  }
}

async function describeSelf(): Promise<AuditLockOwner> {
  const [bootId, procStart] = await Promise.all([readOptional('/proc/sys/kernel/random/boot_id'), procStartOf('self')]);
  return {
    pid: process.pid,
    hostname: safeHostname(),
    startedAt: new Date().toISOString(),
    token: randomUUID(),
    ...(bootId === undefined ? {} : { bootId }),
    ...(procStart === undefined ? {} : { procStart }),
  };
}

/**
 * Whether the writer named in a lock file is gone. Only a writer on this host can be judged:
 * it is gone when the host rebooted since (boot id), when no process has its pid (`kill(pid, 0)`
 * fails with ESRCH), or when its pid now belongs to a process started later (Linux start time).
 * A lock naming this process's pid is live only if this process took it or is taking it (a
 * container restarted as pid 1 finds its predecessor's lock). A writer on another host is
 * always presumed alive.
 */
async function isStale(path: string, owner: AuditLockOwner, self: AuditLockOwner): Promise<boolean> {
  if (owner.hostname !== self.hostname) return false;
  if (owner.bootId !== undefined && self.bootId !== undefined && owner.bootId !== self.bootId) return true;
  if (owner.pid === self.pid) return !liveTokens.has(owner.token);
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    return errorCode(error) === 'ESRCH';
  }
  if (owner.procStart === undefined) return false;
  const now = await procStartOf(owner.pid);
  return now !== undefined && now !== owner.procStart;
}

/** Creates `path` holding `content`, atomically: `false` when it exists. */
async function createExclusive(path: string, content: string): Promise<boolean> {
  // Written aside, then hard-linked into place, so nobody ever reads a half-written lock.
  const temp = `${path}.${process.pid}.${randomUUID()}.tmp`;
  try {
    await writeFile(temp, content, { flag: 'wx' });
    await link(temp, path);
    return true;
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
    // No hard links on this file system: exclusive create (a reader may briefly see it empty).
    try {
      await writeFile(path, content, { flag: 'wx' });
      return true;
    } catch (fallbackError) {
      if (errorCode(fallbackError) === 'EEXIST') return false;
      throw fallbackError;
    }
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/**
 * Removes a stale lock file, but only if it is still the one judged stale. No file system can
 * compare and delete in one step, so breakers take turns: only the holder of `<path>.break`
 * (created exclusively) may remove the lock, and while it holds it nobody else can change the
 * file at `path` (its dead owner will not release it, and no one can create over it). Without
 * the turn, a breaker that judged the old lock could remove the lock a faster writer had just
 * taken in its place, and two writers would both hold the log.
 *
 * `true` when the stale lock is gone (removed here or by another breaker), `false` when another
 * process is breaking it now (the caller tries again) or took a lock in its place.
 */
async function breakStale(path: string, judged: string, self: AuditLockOwner): Promise<boolean> {
  const turn = `${path}.break`;
  if (!(await createExclusive(turn, JSON.stringify(self) + '\n'))) {
    await clearAbandonedTurn(turn, self);
    return false;
  }
  // Held like a lock: another breaker in this process sees it live, and exit removes it.
  track(turn, self);
  try {
    const now = await readOptional(path);
    if (now !== judged) return now === undefined;
    await unlink(path).catch((error: unknown) => {
      if (errorCode(error) !== 'ENOENT') throw error;
    });
    return true;
  } finally {
    await unlink(turn).catch(() => undefined);
    track(turn, undefined, self.token);
  }
}

/**
 * Removes a `.break` file whose holder died while breaking (a window of a few file operations):
 * its owner is gone by {@link isStale}, or it has been unreadable past the grace period. Two
 * processes clearing the same abandoned turn at once could still both proceed; that needs a
 * breaker to die inside that window, with two more racing, and is left at that.
 */
async function clearAbandonedTurn(turn: string, self: AuditLockOwner): Promise<void> {
  const raw = await readOptional(turn);
  if (raw === undefined) return;
  const owner = parseOwner(raw);
  const abandoned =
    owner === undefined ? await stat(turn).then((s) => Date.now() - s.mtimeMs >= AUDIT_LOCK_UNREADABLE_GRACE_MS, () => false) : await isStale(turn, owner, self);
  if (abandoned && (await readOptional(turn)) === raw) await unlink(turn).catch(() => undefined);
}

/**
 * Tries once to take the advisory lock at `path` (in the log directory). A stale lock (see
 * {@link isStale}) is taken over; a live one is never touched. File-system errors other than
 * "exists" reject.
 */
export async function acquireAuditLock(path: string): Promise<AcquireResult> {
  const self = await describeSelf();
  const content = JSON.stringify(self) + '\n';
  liveTokens.add(self.token);
  try {
    const result = await tryAcquire(path, self, content);
    if (result.kind === 'busy') liveTokens.delete(self.token);
    return result;
  } catch (error) {
    liveTokens.delete(self.token);
    throw error;
  }
}

async function tryAcquire(path: string, self: AuditLockOwner, content: string): Promise<AcquireResult> {
  let tookOverFrom: AuditLockOwner | undefined;
  let owner: AuditLockOwner | undefined;
  for (let round = 0; ; round++) {
    if (await createExclusive(path, content)) {
      track(path, self);
      return { kind: 'acquired', lock: heldLock(path, self), tookOverFrom };
    }
    if (round === MAX_TAKEOVER_ROUNDS) break;
    const raw = await readOptional(path);
    if (raw === undefined) continue;
    owner = parseOwner(raw);
    let stale: boolean;
    if (owner === undefined) {
      const age = await stat(path).then((s) => Date.now() - s.mtimeMs, () => 0);
      stale = age >= AUDIT_LOCK_UNREADABLE_GRACE_MS;
    } else {
      stale = await isStale(path, owner, self);
    }
    if (!stale) return { kind: 'busy', owner };
    if (await breakStale(path, raw, self)) tookOverFrom = owner ?? { pid: 0, hostname: 'unknown', startedAt: 'unknown', token: '' };
  }
  return { kind: 'busy', owner };
}

function heldLock(path: string, owner: AuditLockOwner): HeldAuditLock {
  let released = false;
  return {
    path,
    owner,
    stillHeld: async () => !released && parseOwner((await readOptional(path)) ?? '')?.token === owner.token,
    release: async () => {
      if (released) return;
      released = true;
      if (parseOwner((await readOptional(path)) ?? '')?.token === owner.token) await unlink(path).catch(() => undefined);
      track(path, undefined, owner.token);
      liveTokens.delete(owner.token);
    },
  };
}
