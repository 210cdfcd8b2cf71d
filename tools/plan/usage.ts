/** `npm run plan -- --help`: the command line of the offline plan, one line per option. */
export const PLAN_USAGE = `usage: npm run plan -- --stack <name> [--config-file <path>] [--out <dir>] [--json] [--upstream-outputs <file>] [--diff <git-ref>] [--graph <file.svg|file.dot>]

  --stack <name>              plan Pulumi.<name>.yaml (required)
  --config-file <path>        use this stack config file instead (e.g. one of examples/)
  --out <dir>                 write every rendered object and boot document as a file (the folder is replaced)
  --json                      print the plan document instead of the summary
  --upstream-outputs <file>   outputs of the upstream stack, instead of planning it from its local config
  --diff <git-ref>            compare with the same stack planned at <git-ref>: old → new values, secret-derived changes, warnings
  --graph <file.svg|.png|.dot> draw the dependency graph (with --diff: changed resources and what depends on them)
  --graph-detail <detail>     components (default: one node per component) or resources (every resource)
  --help                      print this help

exit status: 0 success, 2 invalid config or arguments, 1 any other failure`;
