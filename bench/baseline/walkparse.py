# The same stand-in as walkparse.mjs in Python 3 (the original SDLC Studio Lens is a Python project):
# walk, read every .md as UTF-8, take the title and the blockquote header fields, keep them in memory.
# Prints one JSON line: {"documents": n, "fields": n, "ms": in-process time}.
#   python3 bench/baseline/walkparse.py <sdlc-dir>
import json, os, re, sys, time

t0 = time.perf_counter()
root = sys.argv[1]
FIELD = re.compile(r'^>\s*\*\*([^*:]+?):?\*\*:?\s*(.*)$')
docs, fields = [], 0

for dirpath, dirnames, filenames in os.walk(root):
    dirnames[:] = [d for d in dirnames if not d.startswith('.')]
    for name in filenames:
        if name.startswith('.') or not name.endswith('.md') or name == '_index.md':
            continue
        full = os.path.join(dirpath, name)
        with open(full, encoding='utf-8', errors='replace') as f:
            text = f.read()
        title, header, in_header = None, {}, False
        for line in text.split('\n'):
            if title is None:
                if line.startswith('# '):
                    title = line[2:].strip()
                continue
            m = FIELD.match(line)
            if m:
                header[m.group(1).strip().lower()] = m.group(2).strip()
                fields += 1
                in_header = True
            elif in_header or (line.strip() and not line.startswith('>')):
                break
        docs.append({'path': os.path.relpath(full, root), 'title': title, 'header': header, 'content': text})

print(json.dumps({'documents': len(docs), 'fields': fields, 'ms': (time.perf_counter() - t0) * 1000}))
