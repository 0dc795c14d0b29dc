/**
 * A restricted, inert Python unpickler: enough of protocols 2–4 to read what `torch.save`
 * writes for a state dict, and nothing that runs code. GLOBAL / STACK_GLOBAL never import
 * anything; they ask `hooks.findClass`, which returns an inert placeholder or refuses. REDUCE,
 * NEWOBJ and BUILD only ever call placeholders made by those hooks.
 *
 * Every read is bounds-checked against the stream, and every length is checked against the
 * bytes left before anything is allocated, so hostile input ends in a ModelFileError,
 * never a hang or a huge allocation. Each opcode consumes at least one byte, so the loop ends.
 */
import { ModelFileError } from './modelFileError';

/** An object made by a hook (a class marker, a tensor descriptor). Never code from the file. */
export interface PickleObject {
  readonly pickleKind: string;
  /** Target of REDUCE / NEWOBJ: make a value from the argument tuple. */
  call?(args: readonly PickleValue[]): PickleValue;
  /** Target of BUILD: apply the pickled state. */
  setState?(state: PickleValue): void;
}

/** Tuples are frozen arrays, lists plain arrays, dicts Maps. */
export type PickleValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | PickleValue[]
  | Map<PickleValue, PickleValue>
  | PickleObject;

export interface UnpickleHooks {
  /** Resolve `module.name` from GLOBAL / STACK_GLOBAL; throw ModelFileError to refuse. */
  findClass(module: string, name: string): PickleValue;
  /** Resolve a BINPERSID persistent id (torch uses it for tensor storages). */
  persistentLoad(pid: PickleValue): PickleValue;
}

export function isPickleObject(v: PickleValue | undefined): v is PickleObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Map);
}

/** What a value is, in Python terms, for error messages. */
export function describePickleValue(v: PickleValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'None';
  if (Array.isArray(v)) return Object.isFrozen(v) ? `tuple of ${v.length}` : `list of ${v.length}`;
  if (v instanceof Map) return 'dict';
  if (isPickleObject(v)) return v.pickleKind;
  return typeof v === 'string' ? `string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}` : `${typeof v} ${String(v)}`;
}

const OP = {
  MARK: 0x28, // (
  STOP: 0x2e, // .
  BINFLOAT: 0x47, // G
  BININT: 0x4a, // J
  BININT1: 0x4b, // K
  BININT2: 0x4d, // M
  NONE: 0x4e, // N
  BINPERSID: 0x51, // Q
  REDUCE: 0x52, // R
  BINUNICODE: 0x58, // X
  EMPTY_LIST: 0x5d, // ]
  APPEND: 0x61, // a
  BUILD: 0x62, // b
  GLOBAL: 0x63, // c
  APPENDS: 0x65, // e
  BINGET: 0x68, // h
  LONG_BINGET: 0x6a, // j
  BINPUT: 0x71, // q
  LONG_BINPUT: 0x72, // r
  SETITEM: 0x73, // s
  TUPLE: 0x74, // t
  SETITEMS: 0x75, // u
  EMPTY_DICT: 0x7d, // }
  EMPTY_TUPLE: 0x29, // )
  PROTO: 0x80,
  NEWOBJ: 0x81,
  NEWTRUE: 0x88,
  NEWFALSE: 0x89,
  LONG1: 0x8a,
  TUPLE1: 0x85,
  TUPLE2: 0x86,
  TUPLE3: 0x87,
  SHORT_BINUNICODE: 0x8c,
  BINUNICODE8: 0x8d,
  STACK_GLOBAL: 0x93,
  MEMOIZE: 0x94,
  FRAME: 0x95,
} as const;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Unpickle `bytes` (a whole pickle stream ending in STOP). `where` names it in errors. */
export function unpickle(bytes: Uint8Array, hooks: UnpickleHooks, where = 'pickle'): PickleValue {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  const stack: PickleValue[] = [];
  const marks: number[] = [];
  const memo = new Map<number, PickleValue>();

  const truncated = (): never => {
    throw new ModelFileError('truncated', `${where} ends in the middle of an instruction (at byte ${pos} of ${bytes.length}). The file is truncated; download it again.`);
  };
  const malformed = (msg: string): never => {
    throw new ModelFileError('bad-header', `${where} is malformed at byte ${pos}: ${msg}. The file is damaged or not a PyTorch checkpoint.`);
  };
  const need = (n: number): number => {
    if (n > bytes.length - pos) truncated();
    const at = pos;
    pos += n;
    return at;
  };
  const u8 = (): number => bytes[need(1)]!;
  const u16 = (): number => view.getUint16(need(2), true);
  const u32 = (): number => view.getUint32(need(4), true);
  const u64 = (): number => {
    const v = view.getBigUint64(need(8), true);
    // Any length above the bytes left is truncation; this also keeps it a safe integer.
    if (v > BigInt(bytes.length - pos)) truncated();
    return Number(v);
  };
  const text = (n: number): string => {
    const at = need(n);
    try {
      return utf8.decode(bytes.subarray(at, at + n));
    } catch {
      return malformed('a string is not valid UTF-8');
    }
  };
  /** GLOBAL's operands: a line ending in "\n". */
  const line = (): string => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) truncated();
    const s = text(end - pos);
    pos++; // the newline
    return s;
  };

  const pop = (): PickleValue => {
    const floor = marks.length ? marks[marks.length - 1]! : 0;
    if (stack.length <= floor) malformed('stack underflow');
    return stack.pop()!;
  };
  const top = (): PickleValue => {
    const floor = marks.length ? marks[marks.length - 1]! : 0;
    if (stack.length <= floor) malformed('stack underflow');
    return stack[stack.length - 1]!;
  };
  /** Everything pushed since the last MARK, removing the mark. */
  const popMark = (): PickleValue[] => {
    if (!marks.length) malformed('no MARK to pop to');
    return stack.splice(marks.pop()!);
  };
  const tuple = (items: PickleValue[]): PickleValue[] => Object.freeze(items) as PickleValue[];
  const get = (i: number): void => {
    if (!memo.has(i)) malformed(`memo entry ${i} was never stored`);
    stack.push(memo.get(i)!);
  };
  const put = (i: number): void => void memo.set(i, top());
  const asList = (v: PickleValue): PickleValue[] => {
    if (!Array.isArray(v) || Object.isFrozen(v)) malformed(`cannot append to ${describePickleValue(v)}`);
    return v as PickleValue[];
  };
  const asDict = (v: PickleValue): Map<PickleValue, PickleValue> => {
    if (!(v instanceof Map)) malformed(`cannot set items on ${describePickleValue(v)}`);
    return v as Map<PickleValue, PickleValue>;
  };
  const callable = (v: PickleValue, opName: string): ((args: readonly PickleValue[]) => PickleValue) => {
    if (!isPickleObject(v) || !v.call) {
      throw new ModelFileError('unsupported-format', `${where} asks to call ${describePickleValue(v)} (${opName}), which this reader does not support.`);
    }
    return v.call.bind(v);
  };
  const args = (v: PickleValue): readonly PickleValue[] => {
    if (!Array.isArray(v)) malformed(`expected an argument tuple, got ${describePickleValue(v)}`);
    return v as PickleValue[];
  };
  const global = (module: string, name: string): PickleValue => hooks.findClass(module, name);

  for (;;) {
    const op = u8();
    switch (op) {
      case OP.PROTO:
        if (u8() > 5) malformed('unknown pickle protocol');
        break;
      case OP.FRAME:
        u64(); // framing is only a read-ahead hint; the stream is already in memory
        break;
      case OP.STOP:
        return pop();
      case OP.MARK:
        marks.push(stack.length);
        break;
      case OP.NONE:
        stack.push(null);
        break;
      case OP.NEWTRUE:
        stack.push(true);
        break;
      case OP.NEWFALSE:
        stack.push(false);
        break;
      case OP.BININT:
        stack.push(view.getInt32(need(4), true));
        break;
      case OP.BININT1:
        stack.push(u8());
        break;
      case OP.BININT2:
        stack.push(u16());
        break;
      case OP.LONG1: {
        const n = u8();
        const at = need(n);
        let v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i]!);
        if (n > 0 && bytes[at + n - 1]! & 0x80) v -= 1n << BigInt(8 * n); // two's complement
        stack.push(v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
        break;
      }
      case OP.BINFLOAT:
        stack.push(view.getFloat64(need(8), false)); // big-endian, unlike everything else
        break;
      case OP.SHORT_BINUNICODE:
        stack.push(text(u8()));
        break;
      case OP.BINUNICODE:
        stack.push(text(u32()));
        break;
      case OP.BINUNICODE8:
        stack.push(text(u64()));
        break;
      case OP.EMPTY_DICT:
        stack.push(new Map());
        break;
      case OP.EMPTY_LIST:
        stack.push([]);
        break;
      case OP.EMPTY_TUPLE:
        stack.push(tuple([]));
        break;
      case OP.TUPLE:
        stack.push(tuple(popMark()));
        break;
      case OP.TUPLE1: {
        const a = pop();
        stack.push(tuple([a]));
        break;
      }
      case OP.TUPLE2: {
        const b = pop();
        const a = pop();
        stack.push(tuple([a, b]));
        break;
      }
      case OP.TUPLE3: {
        const c = pop();
        const b = pop();
        const a = pop();
        stack.push(tuple([a, b, c]));
        break;
      }
      case OP.BINPUT:
        put(u8());
        break;
      case OP.LONG_BINPUT:
        put(u32());
        break;
      case OP.MEMOIZE:
        put(memo.size);
        break;
      case OP.BINGET:
        get(u8());
        break;
      case OP.LONG_BINGET:
        get(u32());
        break;
      case OP.APPEND: {
        const v = pop();
        asList(top()).push(v);
        break;
      }
      case OP.APPENDS: {
        const items = popMark();
        const list = asList(top());
        for (const v of items) list.push(v); // not push(...items): that could overflow the call stack
        break;
      }
      case OP.SETITEM: {
        const v = pop();
        const k = pop();
        asDict(top()).set(k, v);
        break;
      }
      case OP.SETITEMS: {
        const items = popMark();
        if (items.length % 2) malformed('SETITEMS with an odd number of items');
        const d = asDict(top());
        for (let i = 0; i < items.length; i += 2) d.set(items[i]!, items[i + 1]!);
        break;
      }
      case OP.GLOBAL: {
        const module = line();
        const name = line();
        stack.push(global(module, name));
        break;
      }
      case OP.STACK_GLOBAL: {
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') malformed('STACK_GLOBAL needs two strings');
        stack.push(global(module as string, name as string));
        break;
      }
      case OP.BINPERSID:
        stack.push(hooks.persistentLoad(pop()));
        break;
      case OP.REDUCE: {
        const a = args(pop());
        const f = callable(pop(), 'REDUCE');
        stack.push(f(a));
        break;
      }
      case OP.NEWOBJ: {
        const a = args(pop());
        const f = callable(pop(), 'NEWOBJ');
        stack.push(f(a));
        break;
      }
      case OP.BUILD: {
        const state = pop();
        const obj = top();
        // A dict's BUILD state is instance attributes (torch's OrderedDict `_metadata`): not data.
        if (obj instanceof Map) break;
        if (!isPickleObject(obj) || !obj.setState) {
          throw new ModelFileError('unsupported-format', `${where} asks to set the state of ${describePickleValue(obj)}, which this reader does not support.`);
        }
        obj.setState(state);
        break;
      }
      default:
        throw new ModelFileError(
          'unsupported-format',
          `${where} uses pickle opcode 0x${op.toString(16).padStart(2, '0')} at byte ${pos - 1}, which this reader does not support. ` +
            'Re-save the weights with torch.save(model.state_dict()) or convert them to safetensors.',
        );
    }
  }
}
