"""Derives X12 grammar data (dsl strings) for 940 943 944 945 846 947 861 214, 004010 and 005010.
Structure: bots-edi/bots-grammars x12/<v>/<set><version>.py. Elements: EdiFabric templates
(RichardFeich/EdiTemplateResolver, CPDI.EdiFabric.Templates.Base) segment/composite classes:
element reference, name, M/C, type, lengths; ID lengths from bots records (same position)."""
import re, json, subprocess, sys
BOTS = '/work/.mirror/bots-edi+bots-grammars/repo'
EF = '/work/.mirror/RichardFeich+EdiTemplateResolver/repo'
SETS = ['940', '943', '944', '945', '846', '947', '861', '214']
def git(repo, path):
    return subprocess.run(['git', '-C', repo, 'show', 'HEAD:' + path], capture_output=True, text=True, check=True).stdout
def bots_py(text):
    ns = {'ID': 'ID', 'MIN': 'MIN', 'MAX': 'MAX', 'LEVEL': 'LEVEL'}
    exec(text.replace('from bots.botsconfig import *', '').replace('from records004010 import recorddefs', '').replace('from records005010 import recorddefs', ''), ns)
    return ns
def ef_segments(version):
    seg = git(EF, f'Templates/CPDI.EdiFabric.Templates.Base/X12/{version}/Common/EF_X12_{version}_Segments.cs')
    comp = git(EF, f'Templates/CPDI.EdiFabric.Templates.Base/X12/{version}/Common/EF_X12_{version}_ComplexElements.cs')
    codes = git(EF, f'Templates/CPDI.EdiFabric.Templates.Base/X12/{version}/Common/EF_X12_{version}_Codes.cs')
    def classes(text, kind):
        out = {}
        for m in re.finditer(r'/// <summary>\s*/// ([^\n]*)\s*/// </summary>\s*\[Serializable\(\)\]\s*(?:\[DataContract\(\)\]\s*)?\[' + kind + r'\("([A-Z0-9]+)"\)\]\s*public class \w+[^{]*\{(.*?)\n    \}', text, re.S):
            name, tag, body = m.group(1).strip(), m.group(2), m.group(3)
            els = []
            for p in re.finditer(r'/// <summary>\s*/// ([^\n]*)\s*/// </summary>(.*?)public (?:virtual |override )?(?:List<)?(\w+)>? \w+_(\d+) ', body, re.S):
                ename, attrs, typ, pos = p.group(1).strip(), p.group(2), p.group(3), int(p.group(4))
                d = {'name': ename, 'pos': pos, 'required': '[Required]' in attrs}
                de = re.search(r'DataElement\("(\w+)", typeof\((\w+)\)\)', attrs)
                sl = re.search(r'StringLength\((\d+), (\d+)\)', attrs)
                if de:
                    d['id'] = de.group(1); t = de.group(2)
                    d['type'] = 'ID' if t.startswith('X12_ID') else t.replace('X12_', '')
                    d['codeType'] = t if t.startswith('X12_ID') else None
                else:
                    d['composite'] = typ
                if sl: d['min'], d['max'] = int(sl.group(1)), int(sl.group(2))
                els.append(d)
            out[tag] = {'name': name, 'elements': els}
        return out
    code_lists = {}
    for m in re.finditer(r'\[EdiCodes\(@?"((?:[^"]|"\s*\+\s*")*)"\)\]\s*public class (\w+)', codes):
        raw = re.sub(r'"\s*\+\s*"', '', m.group(1))
        code_lists[m.group(2)] = [c for c in raw.split(',') if c]
    return classes(seg, 'Segment'), classes(comp, 'Composite'), code_lists

def struct_dsl(nodes, indent):
    parts = []
    for n in nodes:
        mx = n['MAX']; mxs = 'U' if mx >= 99999 else str(mx)
        req = n.get('MIN', 0) >= 1
        if 'LEVEL' in n:
            kids = [{'ID': n['ID'], 'MIN': 1, 'MAX': 1}] + n['LEVEL']
            parts.append(f"loop('{n['ID']}', {mxs}, [{struct_dsl(kids, indent + '  ')}]{', ' + chr(39) + 'M' + chr(39) if req else ''})")
        else:
            if mx == 1 and not req: parts.append(f"s('{n['ID']}')")
            elif req: parts.append(f"s('{n['ID']}', {mxs}, 'M')")
            else: parts.append(f"s('{n['ID']}', {mxs})")
    return ', '.join(parts)

result = {}
for v, bv in (('004010', '4010'), ('005010', '5010')):
    recs = bots_py(git(BOTS, f'x12/{bv}/records{v}.py'))['recorddefs']
    segs, comps, code_lists = ef_segments(v)
    structures = {}
    tags = set()
    for st in SETS:
        ns = bots_py(git(BOTS, f'x12/{bv}/{st}{v}.py'))
        top = ns['structure'][0]
        body = top['LEVEL']
        # SE is mandatory (bots 947 has MIN 0)
        for n in body:
            if n['ID'] == 'SE': n['MIN'] = 1
        def walk(ns_):
            for n in ns_:
                tags.add(n['ID'])
                if 'LEVEL' in n: walk(n['LEVEL'])
        walk(body)
        structures[st] = "s('ST', 1, 'M'), " + struct_dsl(body, '')
    defs = {}
    missing = []
    for tag in sorted(tags):
        ef = segs.get(tag)
        if not ef: missing.append(tag); continue
        brec = recs.get(tag, [])
        out = []
        for e in ef['elements']:
            b = brec[e['pos']] if e['pos'] < len(brec) else None
            if 'composite' in e:
                c = comps.get(e['composite'])
                if not c: out.append({'open': e['composite']}); continue
                sub = b[2] if b and isinstance(b[2], list) else []
                cs = []
                for ce in c['elements']:
                    cb = sub[ce['pos'] - 1] if ce['pos'] - 1 < len(sub) else None
                    cs.append(elem(ce, cb, code_lists) if False else None)
                out.append({'composite': e['composite'], 'name': e['name'], 'required': e['required'], 'components': [dict(ce, blen=(sub[ce['pos']-1][2] if ce['pos']-1 < len(sub) else None)) for ce in c['elements']]})
            else:
                out.append(dict(e, blen=(b[2] if b else None)))
        defs[tag] = {'name': ef['name'], 'elements': out}
    result[v] = {'structures': structures, 'defs': defs, 'missing': missing, 'codes355': code_lists.get('X12_ID_355', [])}
json.dump(result, open('/tmp/wms16f/derived.json', 'w'), indent=1, default=str)
for v in result: print(v, 'missing EF segments:', result[v]['missing'], 'defs', len(result[v]['defs']), '355 codes', len(result[v]['codes355']))
