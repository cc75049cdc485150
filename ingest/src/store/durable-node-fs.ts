import { fsyncSync } from 'node:fs';
import { NodeFS } from '@electric-sql/pglite/nodefs';

type PGlite = Parameters<NodeFS['init']>[0];
type PostgresModule = Parameters<NodeFS['init']>[1];
/** The part of Emscripten's NODEFS this file touches (its types do not declare stream_ops). */
interface NodeFsStreams {
  stream_ops: { fsync?: (stream: { nfd?: number }) => number };
}

/**
 * PGlite's Node filesystem with fsync that reaches the disk. Emscripten's NODEFS has no fsync
 * of its own, so PostgreSQL's fsync() returns at once and nothing is flushed: a commit would
 * live in the page cache only, and a power cut after the spool was trimmed loses acknowledged
 * frames. Here every fsync PostgreSQL asks for (WAL at commit, data files at checkpoint,
 * directories after a rename) becomes a real one. `fdatasync` stays a no-op in Emscripten, so
 * the database must run with `wal_sync_method=fsync` (see EMBEDDED_START_PARAMS in db.ts).
 */
export class DurableNodeFS extends NodeFS {
  readonly #fsync: (fd: number) => void;

  /** `fsync` is replaceable so a test can count the flushes; it must still call the real one. */
  constructor(dataDir: string, fsync: (fd: number) => void = fsyncSync) {
    super(dataDir);
    this.#fsync = fsync;
  }

  override async init(pg: PGlite, opts: PostgresModule): ReturnType<NodeFS['init']> {
    const setup = await super.init(pg, opts);
    const preRun = setup.emscriptenOpts.preRun ?? [];
    setup.emscriptenOpts.preRun = [
      (mod) => {
        // Every NODEFS file shares this one stream_ops object: set before the mount, it covers all.
        (mod.NODEFS as unknown as NodeFsStreams).stream_ops.fsync = (stream) => {
          if (stream.nfd !== undefined) this.#fsync(stream.nfd);
          return 0;
        };
      },
      ...preRun,
    ];
    return setup;
  }
}
