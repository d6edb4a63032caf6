/** What a model is and how it was made: the facts a user needs before trusting it. */
export interface ModelCard {
  name: string;
  task: string;
  dataset: { name: string; source: string; license: string; samples: number; features: number; classes: string[] };
  split: { train: number; test: number; seed: number; rule: string };
  architecture: string;
  parameters: number;
  initializer: string;
  optimizer: string;
  schedule: string;
  loss: string;
  epochs: number;
  batchSize: number;
  seed: number;
  /** Measured when the weights were trained (pnpm zoo:train for the shipped ones); absent when untrained. */
  results?: {
    testAccuracy: number;
    trainAccuracy: number;
    trainingSeconds: number;
    /** Comparisons the lecture makes (e.g. logistic regression on XOR, zero initialisation). */
    baselines?: Record<string, number>;
  };
  /** The SIMD build the shipped weights were trained on: recipes are bit-reproducible per build. */
  trainedOn: string;
}
