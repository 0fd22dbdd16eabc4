import re, subprocess, json
exec(open('gen.py').read().split('result = {}')[0])
def ef_struct(v, st):
    t = git(EF, f'Templates/CPDI.EdiFabric.Templates.Base/X12/{v}/EF_X12_{v}_{st}.cs')
    classes = {}
    for m in re.finditer(r'public class (\w+)[^{]*\{(.*?)\n    \}', t, re.S):
        props = []
        for p in re.finditer(r'((?:\s*\[[^\]]*\])*)\s*public virtual (List<)?(\w+)>? (\w+) \{', m.group(2)):
            attrs = p.group(1)
            lc = re.search(r'ListCount\((\d+)\)', attrs)
            props.append({'type': p.group(3), 'list': bool(p.group(2)), 'req': '[Required]' in attrs, 'max': int(lc.group(1)) if lc else (99999 if p.group(2) else 1)})
        classes[m.group(1)] = props
    def node(props):
        out = []
        for p in props:
            if p['type'].startswith('Loop_') or p['type'].startswith('All_'):
                kids = node(classes[p['type']])
                if p['type'].startswith('All_'):
                    out.extend(kids); continue
                first = kids[0]
                out.append({'ID': first['ID'], 'MIN': 1 if p['req'] else 0, 'MAX': p['max'], 'LEVEL': kids[1:]})
            else:
                out.append({'ID': p['type'], 'MIN': 1 if p['req'] else 0, 'MAX': p['max']})
        return out
    ts = [k for k in classes if k.startswith('TS')][0]
    return node(classes[ts])
def norm(nodes):
    out = []
    for n in nodes:
        mx = 'U' if n['MAX'] >= 99999 else n['MAX']
        out.append((n['ID'], n.get('MIN', 0) >= 1, mx, tuple(norm(n['LEVEL'])) if 'LEVEL' in n else None))
    return out
def diff(a, b, path=''):
    res = []
    ai = {x[0]: x for x in a}; 
    ta = [x[0] for x in a]; tb = [x[0] for x in b]
    if ta != tb: res.append(f'{path}: order/tags bots {ta} EF {tb}'); 
    for x, y in zip(a, b):
        if x[0] != y[0]: continue
        if x[1] != y[1] or x[2] != y[2]: res.append(f'{path}/{x[0]}: bots req={x[1]} max={x[2]} EF req={y[1]} max={y[2]}')
        if x[3] is not None and y[3] is not None: res += diff(list(x[3]), list(y[3]), path + '/' + x[0])
    return res
for v, bv in (('004010', '4010'), ('005010', '5010')):
    for st in SETS:
        ns = bots_py(git(BOTS, f'x12/{bv}/{st}{v}.py'))
        b = norm(ns['structure'][0]['LEVEL']); e = norm(ef_struct(v, st))
        e = [x for x in e if x[0] != 'ST']
        d = diff(b, e)
        print(v, st, 'same' if not d else '\n  ' + '\n  '.join(d))
