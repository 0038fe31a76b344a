// A CPU cgroup for a browser that runs as on a phone: a share of one core
// for every process and thread it has, workers included (what CDP's CPU
// throttling cannot do: it slows a page's main thread only). Root only;
// cgroup v1's cpu controller, or v2's cpu.max.
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Makes a cgroup limited to `cores` of CPU (0.5: half a core) and returns
 * { procs, stats(), remove() }, or { skip: reason } where that cannot be
 * done here.
 */
export function cpuCgroup(cores) {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return { skip: 'needs root (it makes a CPU cgroup)' };
  const name = `tgwasm-bench-${process.pid}`;
  const period = 100000;
  const quota = Math.round(period * cores);
  const v1 = '/sys/fs/cgroup/cpu';
  const v2 = '/sys/fs/cgroup';
  let dir;
  try {
    if (existsSync(join(v1, 'cpu.cfs_quota_us'))) {
      dir = join(v1, name);
      mkdirSync(dir);
      writeFileSync(join(dir, 'cpu.cfs_period_us'), String(period));
      writeFileSync(join(dir, 'cpu.cfs_quota_us'), String(quota));
    } else if (existsSync(join(v2, 'cgroup.controllers')) && readFileSync(join(v2, 'cgroup.controllers'), 'utf8').includes('cpu')) {
      dir = join(v2, name);
      mkdirSync(dir);
      writeFileSync(join(dir, 'cpu.max'), `${quota} ${period}`);
    } else {
      return { skip: 'no cgroup cpu controller (v1 /sys/fs/cgroup/cpu or v2 cpu.max) on this machine' };
    }
  } catch (err) {
    return { skip: `could not make a CPU cgroup: ${err.message}` };
  }
  return {
    procs: join(dir, 'cgroup.procs'),
    cores,
    /** How often and how long the group was held back. */
    stats: () => readFileSync(join(dir, 'cpu.stat'), 'utf8'),
    remove: () => { try { rmdirSync(dir); } catch { /* still has processes; the machine reclaims it */ } },
  };
}
