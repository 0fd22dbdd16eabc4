import json
d = json.load(open('derived.json'))
tags = json.load(open('tags.json'))  # segment tags src/formats/x12 defined before (defined) and those the new sets add (open)
keep = set(tags['defined']) | (set(tags['open']) - {'QTY'})
def length(e):
    if 'min' in e: return e['min'], e['max']
    b = e.get('blen')
    if isinstance(b, list): return b[0], b[1]
    if isinstance(b, int): return 1, b
    return 1, 80
TYPES = {'N': 'N0'}
def spec(e):
    t = TYPES.get(e['type'], e['type'])
    mn, mx = length(e)
    if t == 'DT' and mn == mx == 8: pass
    name = e['name'].replace("'", "\\'")
    s = f"{e['id']}/{t}/{mn}/{mx}/{'M/' if e['required'] else ''}{name}"
    if e['id'] == '355': return f"uom('{s}')"
    return f"'{s}'"
def segdef(tag, sd):
    els = []
    for e in sd['elements']:
        if 'open' in e: els.append("'?/AN/1/80/unknown'"); continue
        if 'components' in e:
            comps = []
            for c in e['components']:
                sp = spec(c)
                comps.append(sp)
            cname = e['name'].replace("'", "\\'")
            if any(x.startswith('uom(') for x in comps):
                els.append(f"compUom('{e['composite']}/{'M/' if e['required'] else ''}{cname}', [{', '.join(comps)}])")
            else:
                els.append(f"comp('{e['composite']}/{'M/' if e['required'] else ''}{cname}', [{', '.join(comps)}])")
        else:
            els.append(spec(e))
    name = sd['name'].replace("'", "\\'")
    return f"  seg('{tag}', '{name}', [{', '.join(els)}]),"
out = {}
for v in d:
    lines = [segdef(t, sd) for t, sd in sorted(d[v]['defs'].items()) if t not in keep]
    out[v] = lines
union = sorted(set(d['004010']['codes355']) | set(d['005010']['codes355']))
json.dump({'segs': out, 'codes': union, 'structures': {v: d[v]['structures'] for v in d}}, open('emit.json', 'w'), indent=1)
for v in out: print(v, len(out[v]))
print(len(union))
print('\n'.join(out['004010'][:5]))
