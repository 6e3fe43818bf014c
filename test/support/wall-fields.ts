/**
 * Output files with their wall-clock fields blanked, for comparing runs made on different machines, worker
 * counts or shards: a journal's `wallMs` and `simSpeedup`, JUnit's `time="..."`. Everything else must match
 * byte for byte.
 */
export const withoutWallClock = (text: string): string =>
  text.replace(/"(wallMs|simSpeedup)":\s*[\d.e+-]+/g, '"$1": 0').replace(/ time="[\d.]+"/g, ' time="0"');
