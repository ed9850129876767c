# The structure of a suite's results document, without its numbers: what the golden
# files of tests/cli/suite_*.sh hold.
{
  tool: .context.tool,
  suite: (.context.suite | {name, quick}),
  partial: .partial,
  rows: [.benchmarks[] | {name, status,
          params: ((.params // {}) | keys),
          counters: ((.counters // {}) | keys),
          samples: (((.samples.ns // []) | length) > 0),
          bytes_per_iter: (((.throughput // {}).bytes_per_iter // 0) > 0)}]
}
