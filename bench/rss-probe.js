// Preloaded into every measured Node process (NODE_OPTIONS=--require): on exit, append the
// process's peak resident set size (KiB) to BENCH_RSS_FILE. Child node processes inherit it.
const { appendFileSync } = require('fs');
const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    try {
      appendFileSync(file, `${process.resourceUsage().maxRSS}\n`);
    } catch {
      // measurement only
    }
  });
}
