// The dependency direction: kernels <- autograd <- nn, optim <- data, zoo <- apps.
// Each workspace package may import only the @backprop packages listed for it (and, in apps, anything).
export const layers = {
  kernels: [],
  autograd: ['kernels'],
  nn: ['autograd'],
  optim: ['autograd'],
  data: ['autograd', 'nn'],
  zoo: ['autograd', 'nn', 'optim', 'data'],
};

export const allPackages = ['kernels', 'autograd', 'nn', 'optim', 'data', 'zoo', 'bench', 'docs'];

/** The no-restricted-imports patterns for a package: other packages' src, and every package not allowed. */
export function restrictedImports(name) {
  const allowed = new Set(layers[name] ?? allPackages);
  const forbidden = allPackages.filter((p) => p !== name && !allowed.has(p));
  const patterns = [
    {
      group: ['@backprop/*/src', '@backprop/*/src/**', '../../*/src/**', '../../../*/src/**'],
      message: "Import another package through its name ('@backprop/x'), never from its src/.",
    },
  ];
  if (forbidden.length > 0) {
    patterns.push({
      group: forbidden.flatMap((p) => [`@backprop/${p}`, `@backprop/${p}/**`]),
      message: `@backprop/${name} may not import this package: the dependency arrow is kernels <- autograd <- nn, optim <- data, zoo <- apps.`,
    });
  }
  return ['error', { patterns }];
}
