/**
 * Adafactor (Shazeer & Stern 2018) as the prompt-tuning paper configures it: constant learning
 * rate 0.3, no momentum, no parameter scaling, second-moment decay beta2_t = 1 - t^-0.8,
 * update clipping at RMS 1.0, weight decay 1e-5 (p -= wd * lr * p).
 * The second moment is kept unfactored: a prompt is small, and this is what the reference
 * fixtures check. A tf.Optimizer, so `minimize(f, true, [prompt])` differentiates the prompt only.
 */
import * as tf from '@tensorflow/tfjs';
import { PAPER_ADAFACTOR, type AdafactorConfig } from './adafactorConfig';

/** A named tensor as optimisers exchange them (not re-exported by @tensorflow/tfjs). */
type NamedTensor = { name: string; tensor: tf.Tensor };

// The constants live apart from the optimizer so the page (cluster job recipe) can read them without TF.js.
export { PAPER_ADAFACTOR, type AdafactorConfig } from './adafactorConfig';

export class AdafactorOptimizer extends tf.Optimizer {
  static get className(): string {
    return 'Adafactor';
  }

  readonly config: AdafactorConfig;
  /** Per-variable exponential average of squared gradients. */
  private secondMoments = new Map<string, tf.Variable>();

  constructor(config: Partial<AdafactorConfig> = {}) {
    super();
    this.config = { ...PAPER_ADAFACTOR, ...config };
  }

  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const list = Array.isArray(variableGradients) ? variableGradients : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    const t = this.iterations + 1; // 1-based step: beta2_1 = 0, so v starts as the first squared gradient
    const { learningRate: lr, decayRate, epsilon, clipThreshold, weightDecay } = this.config;
    const beta2 = 1 - t ** decayRate;
    for (const { name, tensor: grad } of list) {
      const variable = tf.engine().registeredVariables[name];
      if (!variable || grad == null) continue;
      let v = this.secondMoments.get(name);
      if (!v) {
        v = tf.tidy(() => tf.variable(tf.zerosLike(variable), false)); // the zeros go; the variable keeps their data
        this.secondMoments.set(name, v);
      }
      const second = v;
      tf.tidy(() => {
        const newV = tf.add(tf.mul(second, beta2), tf.mul(tf.add(tf.square(grad), epsilon), 1 - beta2));
        second.assign(newV);
        const update = tf.mul(grad, tf.rsqrt(newV));
        const rms = tf.sqrt(tf.mean(tf.square(update)));
        const clipped = tf.div(update, tf.maximum(tf.div(rms, clipThreshold), 1));
        const decayed = weightDecay ? tf.sub(variable, tf.mul(variable, weightDecay * lr)) : variable;
        variable.assign(tf.sub(decayed, tf.mul(clipped, lr)));
      });
    }
    this.incrementIterations();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    return [await this.saveIterations(), ...[...this.secondMoments].map(([name, v]) => ({ name: `${name}/adafactor_v`, tensor: v }))];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    tf.dispose([...this.secondMoments.values()]);
    this.secondMoments.clear();
    for (const { name, tensor } of rest) {
      const varName = name.replace(/\/adafactor_v$/, '');
      this.secondMoments.set(varName, tf.variable(tensor, false));
    }
  }

  override dispose(): void {
    tf.dispose([...this.secondMoments.values()]);
    this.secondMoments.clear();
  }

  getConfig(): tf.serialization.ConfigDict {
    return { ...this.config };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    return new cls(config);
  }
}
