import { maskLine, PLACEHOLDER } from './mask.js';

/**
 * Drain-style online log template mining (He et al., "Drain: An Online Log Parsing Approach with Fixed Depth Tree",
 * ICWS 2017; the routing rules follow the Drain3 implementation).
 *
 * Each line is masked (see mask.ts), split into tokens, and routed down a tree of fixed depth: the first layer keys
 * on the token count, the next layers on the leading tokens. The leaf holds candidate clusters; the line joins the
 * most similar one when the share of positions where the two agree reaches the threshold, and positions where they
 * differ become `<*>`. Otherwise it starts a new cluster.
 */

export interface LogMinerOptions {
  /**
   * Depth of the parse tree, counting the root, the token-count layer and the leaf layer as the Drain paper does:
   * depth 4 routes on the first token, depth 5 on the first two. At least 3. Default 4.
   */
  depth?: number;
  /** Share (0–1) of template positions a line must agree with to join a cluster. Default 0.5. */
  similarity?: number;
  /**
   * Children per tree node before further distinct tokens share one `<*>` branch. Keeps the tree small when a
   * leading token is a variable the masks do not recognise. Default 100.
   */
  maxChildren?: number;
  /** Mask quoted strings as `<STR>` (see `MaskOptions`). Default false. */
  maskQuoted?: boolean;
  /** Mask variables before clustering. Turning it off is for studying the clustering alone. Default true. */
  mask?: boolean;
  /** Raw lines kept per template as examples. Default 3. */
  maxSamples?: number;
}

/** A mined template. */
export interface Template {
  /** `T<n>`, in order of creation; stays the same as the template generalises. */
  id: string;
  /** Tokens joined by single spaces, variables as typed placeholders (`<NUM>`, `<IP>`, …) or `<*>`. */
  template: string;
  tokens: readonly string[];
  /** Lines that matched. */
  count: number;
  /** Earliest and latest `at` passed with a matching line, or null when none was passed. */
  firstSeen: number | null;
  lastSeen: number | null;
  /** The first distinct lines that matched, unmasked, at most `maxSamples`. */
  samples: readonly string[];
}

export interface MatchResult {
  templateId: string;
  /** The template as it stands after this line. */
  template: string;
  /** This line started the template. */
  isNew: boolean;
}

interface Cluster {
  id: string;
  tokens: string[];
  template: string;
  count: number;
  firstSeen: number | null;
  lastSeen: number | null;
  samples: string[];
}

interface TreeNode {
  children: Map<string, TreeNode>;
  clusters: Cluster[];
}

/** Masked lines remembered for the exact-repeat shortcut before the memory is cleared. */
const LINE_CACHE_LIMIT = 50_000;

const newNode = (): TreeNode => ({ children: new Map(), clusters: [] });

function hasDigit(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

function positiveInteger(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min)
    throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
  return value;
}

/**
 * @example
 * const miner = new LogMiner();
 * miner.add('user 17 logged in from 10.0.0.1'); // { templateId: 'T1', template: 'user <NUM> logged in from <IP>', isNew: true }
 * miner.add('user 99 logged in from 10.0.0.2').isNew; // false
 * miner.add('cache warm: 12 keys loaded').templateId; // 'T2'
 */
export class LogMiner {
  private readonly tokenLevels: number;
  private readonly similarity: number;
  private readonly maxChildren: number;
  private readonly maskQuoted: boolean;
  private readonly masking: boolean;
  private readonly maxSamples: number;
  private readonly root = new Map<number, TreeNode>();
  private readonly clusters: Cluster[] = [];
  private readonly byId = new Map<string, Cluster>();
  /**
   * Masked line -> the cluster it joined. A repeat skips the tree: the line still fits that cluster, since templates
   * only ever gain `<*>` positions, and identical masked lines then always land on the same template.
   */
  private readonly lineCache = new Map<string, Cluster>();

  constructor(options: LogMinerOptions = {}) {
    const depth = positiveInteger('depth', options.depth ?? 4, 3);
    this.tokenLevels = depth - 3;
    const similarity = options.similarity ?? 0.5;
    if (!(similarity >= 0 && similarity <= 1))
      throw new RangeError(`similarity must be within 0..1, got ${similarity}`);
    this.similarity = similarity;
    this.maxChildren = positiveInteger('maxChildren', options.maxChildren ?? 100, 2);
    this.maxSamples = positiveInteger('maxSamples', options.maxSamples ?? 3, 0);
    this.maskQuoted = options.maskQuoted ?? false;
    this.masking = options.mask ?? true;
  }

  /** Mines one line (a message, not a JSON record: see `extractMessage`). `at` feeds `firstSeen` / `lastSeen`. */
  add(line: string, at?: number): MatchResult {
    const masked = this.masking ? maskLine(line, { maskQuoted: this.maskQuoted }) : line.trim().split(/\s+/).join(' ');
    let cluster = this.lineCache.get(masked);
    let isNew = false;
    if (cluster === undefined) {
      const tokens = masked.length === 0 ? [] : masked.split(' ');
      cluster = this.search(tokens);
      if (cluster === undefined) {
        cluster = this.create(tokens);
        isNew = true;
      } else {
        this.generalise(cluster, tokens);
      }
      if (this.lineCache.size >= LINE_CACHE_LIMIT) this.lineCache.clear();
      this.lineCache.set(masked, cluster);
    }
    cluster.count++;
    if (at !== undefined) {
      if (cluster.firstSeen === null || at < cluster.firstSeen) cluster.firstSeen = at;
      if (cluster.lastSeen === null || at > cluster.lastSeen) cluster.lastSeen = at;
    }
    if (cluster.samples.length < this.maxSamples && !cluster.samples.includes(line)) cluster.samples.push(line);
    return { templateId: cluster.id, template: cluster.template, isNew };
  }

  /** All templates, in order of creation. */
  templates(): Template[] {
    return this.clusters.map(snapshot);
  }

  /** One template by id, or undefined. */
  get(id: string): Template | undefined {
    const cluster = this.byId.get(id);
    return cluster && snapshot(cluster);
  }

  /** Number of templates. */
  get size(): number {
    return this.clusters.length;
  }

  private search(tokens: string[]): Cluster | undefined {
    let node = this.root.get(tokens.length);
    if (node === undefined) return undefined;
    const levels = Math.min(this.tokenLevels, tokens.length - 1);
    for (let level = 0; level < levels; level++) {
      const token = tokens[level] as string;
      node = node.children.get(token) ?? node.children.get(PLACEHOLDER.any);
      if (node === undefined) return undefined;
    }
    return this.bestMatch(node.clusters, tokens);
  }

  /** Drain's fast match: highest share of agreeing positions (`<*>` does not count); ties go to more `<*>`. */
  private bestMatch(candidates: Cluster[], tokens: string[]): Cluster | undefined {
    let best: Cluster | undefined;
    let bestSimilarity = -1;
    let bestWildcards = -1;
    const length = tokens.length;
    for (const cluster of candidates) {
      const template = cluster.tokens;
      let same = 0;
      let wildcards = 0;
      for (let i = 0; i < length; i++) {
        const t = template[i];
        if (t === PLACEHOLDER.any) wildcards++;
        else if (t === tokens[i]) same++;
      }
      const similarity = length === 0 ? 1 : same / length;
      if (similarity > bestSimilarity || (similarity === bestSimilarity && wildcards > bestWildcards)) {
        best = cluster;
        bestSimilarity = similarity;
        bestWildcards = wildcards;
      }
    }
    return bestSimilarity >= this.similarity ? best : undefined;
  }

  private generalise(cluster: Cluster, tokens: string[]): void {
    let changed = false;
    const template = cluster.tokens;
    for (let i = 0; i < template.length; i++) {
      if (template[i] !== tokens[i] && template[i] !== PLACEHOLDER.any) {
        template[i] = PLACEHOLDER.any;
        changed = true;
      }
    }
    if (changed) cluster.template = template.join(' ');
  }

  private create(tokens: string[]): Cluster {
    const cluster: Cluster = {
      id: `T${this.clusters.length + 1}`,
      tokens: [...tokens],
      template: tokens.join(' '),
      count: 0,
      firstSeen: null,
      lastSeen: null,
      samples: [],
    };
    this.clusters.push(cluster);
    this.byId.set(cluster.id, cluster);

    let node = this.root.get(tokens.length);
    if (node === undefined) {
      node = newNode();
      this.root.set(tokens.length, node);
    }
    const levels = Math.min(this.tokenLevels, tokens.length - 1);
    for (let level = 0; level < levels; level++) node = this.child(node, tokens[level] as string);
    node.clusters.push(cluster);
    return cluster;
  }

  /**
   * The branch a new cluster's token goes down: its own, unless the token has digits (a likely variable) or the
   * node is full, in which case the shared `<*>` branch.
   */
  private child(node: TreeNode, token: string): TreeNode {
    const existing = node.children.get(token);
    if (existing !== undefined) return existing;
    const wildcard = node.children.get(PLACEHOLDER.any);
    const size = node.children.size;
    let key: string;
    if (hasDigit(token)) key = PLACEHOLDER.any;
    else if (wildcard !== undefined) key = size < this.maxChildren ? token : PLACEHOLDER.any;
    else key = size + 1 < this.maxChildren ? token : PLACEHOLDER.any;
    const found = node.children.get(key);
    if (found !== undefined) return found;
    const created = newNode();
    node.children.set(key, created);
    return created;
  }
}

function snapshot(cluster: Cluster): Template {
  return {
    id: cluster.id,
    template: cluster.template,
    tokens: [...cluster.tokens],
    count: cluster.count,
    firstSeen: cluster.firstSeen,
    lastSeen: cluster.lastSeen,
    samples: [...cluster.samples],
  };
}
