"""Count the instructions a GPU kernel's scanning loop executes per iteration.

Reads NVIDIA SASS (nvdisasm output) or AMDGPU assembly (llc output), splits one
function into basic blocks, finds its loops from the back edges of a
depth-first walk, takes the loop with the most instructions (the scanning
loop: setup code runs once per work-item, outside it) and counts the
instructions on its hot path: the cheapest way from the loop header back to
it that passes no global store or atomic. That is the iteration where no
candidate is found, which is all but a handful of them; the candidate report
(an atomic and a store) is left out. Each instruction is put in one class and,
for the throughput bound, on the pipe that executes it.

count_nested() is for a kernel whose scanning loop holds a loop of its own
(the version-rolling kernel: the version loop inside the HJ_ITERS loop). The
inner loop is counted as above, once per inner iteration; the rest of the
outer loop is counted on the cheapest store-free way from the outer header
into the inner loop and from the inner loop's exit back to the outer header,
once per outer iteration (the way that skips the inner loop, taken only when
it runs zero times, is not it).
"""
import heapq
import re

CLASSES = ("shift", "logic3", "add3", "other_alu", "memory", "control")

# ---- NVIDIA SASS ----
# Pipes (sm_70 and later): the ALU pipe executes integer, logic, shift and
# data-movement instructions except IMAD; the FMA pipe executes FP32 and
# IMAD (public NVIDIA forum answers on GV100, GA100, GA10x and GH100; see
# docs/gpu.md). U-prefixed instructions run once per warp on the uniform
# datapath. Integer adds (IADD3, VIADD) are a pipe of their own here, "add":
# the compiler can issue an add on either pipe (IMAD.IADD is an add on the FMA
# pipe), and the bound lets them go where there is room (gpu_isa.py).
SASS_SHIFT = {"SHF", "SHL", "SHR"}
SASS_LOGIC3 = {"LOP3"}
SASS_ADD3 = {"IADD3"}
SASS_MEMORY = {"LDC", "LDG", "STG", "LD", "ST", "LDL", "STL", "LDS", "STS", "ATOMG", "ATOM", "ATOMS", "RED", "REDG"}
SASS_CONTROL = {"BRA", "BRX", "BSSY", "BSYNC", "EXIT", "NOP", "WARPSYNC", "CALL", "RET", "BREAK", "YIELD", "BAR", "JMP"}
SASS_FMA_PIPE = {"IMAD", "IMUL", "IDP", "FFMA", "FADD", "FMUL"}
SASS_REPORT = {"STG", "ST", "ATOMG", "ATOM", "RED", "REDG"}

# ---- AMDGPU ----
AMD_SHIFT = re.compile(r"^v_(alignbit|alignbyte|lshrrev|lshlrev|ashrrev|lshl_or|lshl_add|add_lshl)_")
AMD_LOGIC3 = re.compile(r"^v_(xor3|or3|and_or|bfi|bitop3)_")
AMD_ADD3 = re.compile(r"^v_(add3|xad)_")
AMD_MEMORY = re.compile(r"^(s_load|s_buffer_load|s_store|global_|flat_|buffer_|scratch_|ds_)")
AMD_CONTROL = re.compile(r"^(s_branch|s_cbranch|s_waitcnt|s_nop|s_endpgm|s_setpc|s_delay_alu|s_clause|s_sendmsg)")
AMD_REPORT = re.compile(r"^(global|flat)_(store|atomic)")


class Insn:
    __slots__ = ("op", "cls", "pipe", "target", "cond", "ends", "report")

    def __init__(self, op, cls, pipe, target=None, cond=False, ends=False, report=False):
        self.op, self.cls, self.pipe = op, cls, pipe
        self.target, self.cond, self.ends, self.report = target, cond, ends, report


def _sass_insn(line):
    m = re.match(r"\s*/\*[0-9a-f]+\*/\s+(@!?U?P[0-9T]\s+)?([A-Z][A-Z0-9_]*)((?:\.[A-Z0-9_]+)*)\s*(.*?);", line)
    if not m:
        return None
    pred, name, mods, args = m.group(1), m.group(2), m.group(3), m.group(4)
    cond = bool(pred) and "PT" not in pred
    # sm_100 on: BRA.U UP1, `(label) takes its predicate as an operand
    cond |= name.startswith("BRA") and bool(re.match(r"!?U?P[0-6],", args))
    # every U-prefixed opcode (ULDC, UMOV, UIADD3, ULOP3, ...) is uniform, and
    # so is LDCU: sm_100 on loads kernel parameters into uniform registers
    # with it where sm_90 has ULDC
    uniform = (name.startswith("U") and len(name) > 2) or name == "LDCU"
    base = "LDC" if name == "LDCU" else name[1:] if uniform else name
    if base in SASS_SHIFT:
        cls = "shift"
    elif base in SASS_LOGIC3:
        cls = "logic3"
    elif base in SASS_ADD3:
        cls = "add3"
    elif base in SASS_MEMORY:
        cls = "memory"
    elif base in SASS_CONTROL or base.startswith("BRA"):
        cls = "control"
    else:
        cls = "other_alu"
    if uniform:
        pipe = "uniform"
    elif cls in ("memory", "control"):
        pipe = cls
    elif base in SASS_FMA_PIPE:
        pipe = "fma"
    elif base in ("IADD3", "VIADD", "IADD"):
        pipe = "add"
    else:
        pipe = "alu"
    # CALL.REL.NOINC to a label pushes no return address: ptxas's jump out
    # of a nested loop (the version loop's exit), a branch like BRA
    jump = base.startswith("BRA") or (base == "CALL" and ".NOINC" in mods)
    target = None
    if jump:
        t = re.search(r"\(\s*(\.L_x_\d+)\s*\)", args)
        target = t.group(1) if t else None
    ends = (base == "EXIT" and not cond) or (jump and not cond) or base == "RET"
    return Insn(name, cls, pipe, target, cond and (jump or base == "EXIT"), ends, base in SASS_REPORT)


def _amd_insn(line):
    s = line.strip()
    if not s or s[0] in ".;" or s.endswith(":"):
        return None
    op = s.split()[0]
    if not re.match(r"^[sv]_|^(global|flat|buffer|scratch|ds)_", op):
        return None
    if AMD_MEMORY.match(op):
        cls = "memory"
    elif AMD_CONTROL.match(op):
        cls = "control"
    elif AMD_SHIFT.match(op):
        cls = "shift"
    elif AMD_LOGIC3.match(op):
        cls = "logic3"
    elif AMD_ADD3.match(op):
        cls = "add3"
    else:
        cls = "other_alu"
    if cls in ("memory", "control"):
        pipe = cls
    else:
        pipe = "valu" if op.startswith("v_") else "salu"
    target = None
    if op.startswith("s_branch") or op.startswith("s_cbranch"):
        target = s.split()[1].rstrip(",")
    ends = op == "s_branch" or op == "s_endpgm" or op.startswith("s_setpc")
    return Insn(op, cls, pipe, target, op.startswith("s_cbranch"), ends, bool(AMD_REPORT.match(op)))


def sass_function(text, name):
    """The lines of one function of an nvdisasm listing."""
    out, inside = [], False
    for line in text.splitlines():
        if re.match(r"^\s*\.text\.", line) or line.startswith("//----"):
            inside = line.strip() == f".text.{name}:"
            continue
        if inside:
            out.append(line)
    if not out:
        raise ValueError(f"function {name} not found in the SASS listing")
    return out


def amd_function(text, name):
    """The lines of one function of an AMDGPU assembly file."""
    out, inside = [], False
    for line in text.splitlines():
        if re.match(rf"^{re.escape(name)}:", line):
            inside = True
            continue
        if inside and re.match(r"^\.Lfunc_end\d+:", line):
            break
        if inside:
            out.append(line)
    if not out:
        raise ValueError(f"function {name} not found in the assembly")
    return out


def _blocks(lines, parse, label_re):
    """Basic blocks: (label or None, [Insn]) in program order."""
    blocks = [[None, []]]
    for line in lines:
        lab = re.match(label_re, line.strip())
        if lab:
            blocks.append([lab.group(1), []])
            continue
        ins = parse(line)
        if not ins:
            continue
        blocks[-1][1].append(ins)
        if ins.target or ins.ends or ins.cond:
            blocks.append([None, []])
    return [b for b in blocks if b[1] or b[0]]


def _edges(blocks):
    index = {b[0]: i for i, b in enumerate(blocks) if b[0]}
    succ = []
    for i, (_, insns) in enumerate(blocks):
        s = []
        last = insns[-1] if insns else None
        if last is not None and last.target:
            if last.target not in index:
                raise ValueError(f"branch to unknown label {last.target}")
            s.append(index[last.target])
        if (last is None or not last.ends) and i + 1 < len(blocks):
            s.append(i + 1)
        succ.append(s)
    return succ


def _dfs(succ, root, state, back):
    stack = [(root, iter(succ[root]))]
    while stack:
        node, it = stack[-1]
        nxt = next(it, None)
        if nxt is None:
            state[node] = 2
            stack.pop()
        elif state.get(nxt) == 1:
            back.append((node, nxt))
        elif nxt not in state:
            state[nxt] = 1
            stack.append((nxt, iter(succ[nxt])))


def _loops(succ):
    """Natural loops: {header: set of blocks}, from the back edges of a DFS."""
    state, back = {}, []
    # every unvisited block is a root: a callee the compiler kept out of line
    # (a CALL is not an edge) is walked too
    for root in range(len(succ)):
        if root not in state:
            state[root] = 1
            _dfs(succ, root, state, back)
    pred = {i: [] for i in range(len(succ))}
    for i, ss in enumerate(succ):
        for s in ss:
            pred[s].append(i)
    loops = {}
    for tail, head in back:
        body = loops.setdefault(head, {head})
        work = [tail]
        while work:
            n = work.pop()
            if n not in body:
                body.add(n)
                work.extend(pred[n])
    return loops


def _hot_path(blocks, succ, head, body):
    """Blocks of the cheapest store-free way from the header back to it."""
    inf = float("inf")
    memo, busy = {}, set()

    def cost(b):
        # an inner loop (the atomic optimizer's loop in a report path) is a
        # cycle here: a way through it is never the cheapest, so it is cut
        if b in memo:
            return memo[b]
        if b in busy:
            return (inf, None)
        busy.add(b)
        insns = blocks[b][1]
        best = (inf, None)
        if not any(i.report for i in insns):
            for s in succ[b]:
                if s == head:
                    c = (0, -1)
                elif s in body:
                    c = (cost(s)[0], s)
                else:
                    continue
                if c[0] < best[0]:
                    best = c
        busy.discard(b)
        memo[b] = (len(insns) + best[0], best[1])
        return memo[b]

    total, _ = cost(head)
    if total == inf:
        raise ValueError("every way around the loop passes a store or an atomic")
    path, b = [], head
    while b not in (-1, None):
        path.append(b)
        b = memo[b][1]
    return path


def _cfg(lines, isa):
    """(blocks, successors, loops, instructions per loop) of one function."""
    if isa == "sass":
        blocks = _blocks(lines, _sass_insn, r"^(\.L_x_\d+):$")
    else:
        blocks = _blocks(lines, _amd_insn, r"^(\.LBB\d+_\d+):")
    succ = _edges(blocks)
    loops = _loops(succ)
    if not loops:
        raise ValueError("no loop found: the kernel's per-nonce loop was unrolled or removed")
    sizes = {h: sum(len(blocks[b][1]) for b in body) for h, body in loops.items()}
    return blocks, succ, loops, sizes


def _tally(blocks, path):
    classes = {c: 0 for c in CLASSES}
    pipes, ops = {}, {}
    for b in path:
        for i in blocks[b][1]:
            classes[i.cls] += 1
            pipes[i.pipe] = pipes.get(i.pipe, 0) + 1
            ops[i.op] = ops.get(i.op, 0) + 1
    return {
        "instructions": sum(classes.values()),
        "classes": classes,
        "pipes": pipes,
        "opcodes": dict(sorted(ops.items(), key=lambda kv: -kv[1])),
    }


def count(lines, isa):
    """Count one function's scanning loop. isa: 'sass' or 'amdgcn'."""
    blocks, succ, loops, sizes = _cfg(lines, isa)
    head = max(sizes, key=sizes.get)
    r = _tally(blocks, _hot_path(blocks, succ, head, loops[head]))
    r.update(loop_instructions=sizes[head], loops=len(loops))
    return r


def _cheapest(blocks, succ, allowed, sources, targets):
    """Blocks of the cheapest store-free way from a source to a target
    through `allowed` (a block costs its instructions; the target nothing)."""
    heap = [(0, s, ()) for s in sources]
    heapq.heapify(heap)
    done = set()
    while heap:
        c, b, path = heapq.heappop(heap)
        if b in targets:
            return list(path)
        if b in done or b not in allowed or any(i.report for i in blocks[b][1]):
            continue
        done.add(b)
        for s in succ[b]:
            heapq.heappush(heap, (c + len(blocks[b][1]), s, path + (b,)))
    return None


def count_nested(lines, isa):
    """Count a scanning loop that holds a loop: {'inner': the inner loop's hot
    path (per inner iteration), 'outer': the outer loop's instructions outside
    the inner loop on the way through it (per outer iteration)}."""
    blocks, succ, loops, sizes = _cfg(lines, isa)
    outer = max(sizes, key=sizes.get)
    inside = [h for h in loops if h != outer and loops[h] < loops[outer]]
    if not inside:
        raise ValueError("no loop inside the scanning loop (the version loop was unrolled or removed)")
    inner = max(inside, key=sizes.get)
    body = loops[inner]
    rest = loops[outer] - body
    into = _cheapest(blocks, succ, rest, [outer], {inner})
    exits = {s for b in body for s in succ[b] if s not in body}
    back = _cheapest(blocks, succ, rest | {outer}, sorted(exits & (rest | {outer})), {outer}) if exits else None
    if into is None or back is None:
        raise ValueError("no store-free way through the inner loop and back to the outer header")
    r_in = _tally(blocks, _hot_path(blocks, succ, inner, body))
    r_in.update(loop_instructions=sizes[inner])
    r_out = _tally(blocks, into + back)
    r_out.update(loop_instructions=sizes[outer] - sizes[inner])
    return {"inner": r_in, "outer": r_out, "loops": len(loops)}
