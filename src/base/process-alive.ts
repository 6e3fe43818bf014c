/**
 * Whether a process with this id exists on this machine. Signal 0 checks without sending anything: ESRCH
 * means no such process; EPERM means one exists that we may not signal (another user's), so it is alive.
 */
export const isProcessAlive = (pid: number): boolean => {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e !== null && typeof e === 'object' && 'code' in e && e.code === 'EPERM';
  }
};
