// The playground's input features: what the first layer sees of a point (x1, x2).
export const features = {
  x1: (x: number) => x,
  x2: (_: number, y: number) => y,
  x1Squared: (x: number) => x * x,
  x2Squared: (_: number, y: number) => y * y,
  x1x2: (x: number, y: number) => x * y,
  sinX1: (x: number) => Math.sin(x),
  sinX2: (_: number, y: number) => Math.sin(y),
} as const;
export type FeatureName = keyof typeof features;
export const featureNames = Object.keys(features) as FeatureName[];
export const featureLabels: Record<FeatureName, string> = {
  x1: 'x₁', x2: 'x₂', x1Squared: 'x₁²', x2Squared: 'x₂²', x1x2: 'x₁x₂', sinX1: 'sin x₁', sinX2: 'sin x₂',
};

/** The feature matrix [points, chosen features], row-major, ready for tensor(..., { shape }). */
export function featureMatrix(points: readonly { x: number; y: number }[], chosen: readonly FeatureName[]): Float32Array {
  const out = new Float32Array(points.length * chosen.length);
  points.forEach((p, i) => chosen.forEach((f, j) => { out[i * chosen.length + j] = features[f](p.x, p.y); }));
  return out;
}
