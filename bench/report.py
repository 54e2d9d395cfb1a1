"""Turns bench/run.sh's raw results into bench/RESULTS.md."""
import sys

path, machine, cores, version, checkov, cfnlint, guard, checks = sys.argv[1:9]
rows = {}
for line in open(path):
    name, median, rss = line.strip().split("|")
    rows[name] = (float(median) if median != "nan" else None, int(rss) if rss else None)


def t(name):
    v = rows.get(name, (None, None))[0]
    return "n/a" if v is None else (f"{v * 1000:.1f} ms" if v < 1 else f"{v:.2f} s")


def mb(name):
    v = rows.get(name, (None, None))[1]
    return "n/a" if v is None else f"{v / 1024:.0f} MB"


def ratio(a, b):
    x, y = rows.get(a, (None,))[0], rows.get(b, (None,))[0]
    return "n/a" if not x or not y else f"{x / y:.1f}x"


print(f"""# Benchmark results

Machine: {machine}, {cores} cores. {version}. Checkov {checkov}, cfn-lint {cfnlint}, cfn-guard {guard}.
Produced by `bench/run.sh` (hyperfine median, peak RSS from `/usr/bin/time -v`).

| input | preflight | peak memory | all checks skipped | with checks / without |
|---|---|---|---|---|
| `--version` | {t('version')} | {mb('version')} | | |
| one template | {t('small')} | {mb('small')} | | |
| first 200 CloudFormation templates | {t('t200')} | {mb('t200')} | {t('t200_parse')} | {ratio('t200', 't200_parse')} |
| whole corpus (~2,600 files, 21 MB) | {t('corpus')} | {mb('corpus')} | {t('corpus_parse')} | {ratio('corpus', 'corpus_parse')} |
| monorepo, 10 copies of the corpus | {t('mono10')} | {mb('mono10')} | | {ratio('mono10', 'corpus')} of one copy |
| 50,000-resource plan (22 MB) | {t('plan50k')} | {mb('plan50k')} | | |
| the same plan, Python's `json.load` only | {t('plan50k_json_load')} | {mb('plan50k_json_load')} | | preflight takes {ratio('plan50k', 'plan50k_json_load')} of it |

## Against other tools, on the same 200 templates

| tool | time | memory | preflight is faster by |
|---|---|---|---|
| preflight ({checks} checks) | {t('t200')} | {mb('t200')} | |
| Checkov (`--framework cloudformation --skip-download`) | {t('checkov_t200')} | {mb('checkov_t200')} | {ratio('checkov_t200', 't200')} |
| cfn-lint | {t('cfnlint_t200')} | {mb('cfnlint_t200')} | {ratio('cfnlint_t200', 't200')} |
| cfn-guard (`bench/guard/rules.guard`, 17 resource-local rules) | {t('guard_t200')} | {mb('guard_t200')} | {ratio('guard_t200', 't200')} |

Checkov and cfn-lint run many more rules than preflight's {checks} checks today; the
ratio compares whole runs on the same files, as a user experiences them.
cfn-guard runs Guard rules written to approximate preflight's checks (without
the cross-resource joins, parameters and conditions Guard cannot express), so
its row is the closest to rule-for-rule.

Stage by stage (`cargo bench --bench stages`, criterion) is in `bench/README.md`.""")
