# The ratio baseline of the whole-process CLI rows with the original itself (BENCH_ORIGINAL, bench/cli.ts):
# SDLC Studio Lens's own walk+read+parse, run from a checkout of it outside this repository (none of
# its code is here). Loads the original's own modules from that checkout by file path (the parser,
# the type/id inference, the content hashes: standard library only; its sync engine needs its
# database packages, so the walk is done here the way its local walker does it: sorted, recursive,
# dot-folders and its excluded folders skipped, *.md only, `_index.md` and unknown names skipped by
# its own inference), then for each file what its sync does before any database work: read the
# bytes, its two hashes, decode as UTF-8 (BOM stripped) and parse_document. Prints one JSON line:
# {"documents": n, "ms": in-process time}.
#   python3 bench/baseline/original.py <original checkout> <sdlc-dir>
import importlib.util, json, sys, time
from pathlib import Path

checkout, root = Path(sys.argv[1]), Path(sys.argv[2])
src = checkout / 'backend' / 'src'
if not (src / 'sdlc_lens' / 'services' / 'parser.py').is_file():
    sys.exit(f'{checkout}: not a checkout of SDLC Studio Lens (no backend/src/sdlc_lens/services/parser.py)')
sys.path.insert(0, str(src))  # its modules import each other as sdlc_lens.*


def module(name):
    spec = importlib.util.spec_from_file_location(name, src / (name.replace('.', '/') + '.py'))
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


parse_document = module('sdlc_lens.services.parser').parse_document
infer_type_and_id = module('sdlc_lens.utils.inference').infer_type_and_id
hashing = module('sdlc_lens.utils.hashing')
EXCLUDED = {'.venv', '.git', '.hg', '.svn', '__pycache__', 'node_modules', '.tox', '.mypy_cache', '.pytest_cache', '.ruff_cache', 'dist', 'build'}

t0 = time.perf_counter()


def walk(d):
    out = []
    for child in sorted(d.iterdir()):
        if child.is_dir():
            if child.name not in EXCLUDED and not child.name.startswith('.'):
                out.extend(walk(child))
        elif child.is_file() and child.suffix == '.md':
            out.append(child)
    return out


docs = []
for f in sorted(walk(root)):
    rel = str(f.relative_to(root))
    if infer_type_and_id(f.name, rel) is None:
        continue
    raw = f.read_bytes()
    hashes = (hashing.compute_hash(raw), hashing.compute_blob_sha(raw))
    try:
        text = raw.decode('utf-8-sig')
    except UnicodeDecodeError:
        continue
    docs.append((rel, hashes, parse_document(text)))
print(json.dumps({'documents': len(docs), 'ms': (time.perf_counter() - t0) * 1000}))
