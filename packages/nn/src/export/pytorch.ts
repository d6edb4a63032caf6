import { describeValue } from '@backprop/autograd';
import { ELU, LeakyReLU, PReLU, ReLU, Sigmoid, Softplus, Tanh } from '../activations';
import { Conv2d } from '../conv';
import { Embedding } from '../embedding';
import { Dropout, Flatten } from '../layers';
import { Linear } from '../linear';
import { Module } from '../module';
import { BatchNorm1d, BatchNorm2d, LayerNorm } from '../normalization';
import { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from '../pooling';
import { saveSafetensors } from '../safetensors';
import { Standardize } from '../standardize';
import { checkExportable, childPath, isSequential } from './exportable';

/** Python literals. */
const bool = (v: boolean): string => (v ? 'True' : 'False');
const pair = ([a, b]: readonly number[]): string => `(${a}, ${b})`;
/** A float as Python reads it back to the same float32 value (JavaScript's shortest round-trip form). */
const float = (v: number): string => (Number.isInteger(v) ? `${v}.0` : String(v));

/** The torch.nn constructor call of one library layer: the class and its arguments. */
function constructorOf(layer: Module): [string, string] {
  if (layer instanceof Linear) return ['nn.Linear', `${layer.inFeatures}, ${layer.outFeatures}, bias=${bool(layer.bias !== null)}`];
  if (layer instanceof Conv2d) {
    return ['nn.Conv2d', `${layer.inChannels}, ${layer.outChannels}, kernel_size=${pair(layer.kernelSize)}, stride=${pair(layer.stride)}, padding=${layer.padding === 'same' ? "'same'" : pair(layer.padding)}, dilation=${pair(layer.dilation)}, groups=${layer.groups}, bias=${bool(layer.bias !== null)}`];
  }
  if (layer instanceof MaxPool2d) return ['nn.MaxPool2d', `kernel_size=${pair(layer.kernelSize)}, stride=${pair(layer.stride)}, padding=${pair(layer.padding)}, dilation=${pair(layer.dilation)}, ceil_mode=${bool(layer.ceilMode)}`];
  if (layer instanceof AvgPool2d) return ['nn.AvgPool2d', `kernel_size=${pair(layer.kernelSize)}, stride=${pair(layer.stride)}, padding=${pair(layer.padding)}, count_include_pad=${bool(layer.countIncludePad)}, ceil_mode=${bool(layer.ceilMode)}`];
  if (layer instanceof AdaptiveAvgPool2d) {
    const { outputSize } = layer;
    return ['nn.AdaptiveAvgPool2d', Array.isArray(outputSize) ? `(${outputSize.map((n) => n ?? 'None').join(', ')})` : String(outputSize)];
  }
  if (layer instanceof BatchNorm1d || layer instanceof BatchNorm2d) {
    const momentum = layer.momentum === null ? 'None' : float(layer.momentum);
    return [`nn.${layer.constructor.name}`, `${layer.numFeatures}, eps=${float(layer.eps)}, momentum=${momentum}, affine=${bool(layer.weight !== null)}, track_running_stats=${bool(layer.running_mean !== null)}`];
  }
  if (layer instanceof LayerNorm) return ['nn.LayerNorm', `[${layer.normalizedShape.join(', ')}], eps=${float(layer.eps)}, elementwise_affine=${bool(layer.weight !== null)}`];
  if (layer instanceof Embedding) return ['nn.Embedding', `${layer.numEmbeddings}, ${layer.embeddingDim}`];
  if (layer instanceof Dropout) return ['nn.Dropout', float(layer.p)];
  if (layer instanceof Flatten) return ['nn.Flatten', ''];
  if (layer instanceof Standardize) return ['Standardize', String(layer.features)];
  if (layer instanceof LeakyReLU) return ['nn.LeakyReLU', float(layer.negativeSlope)];
  if (layer instanceof ELU) return ['nn.ELU', float(layer.alpha)];
  if (layer instanceof PReLU) return ['nn.PReLU', `num_parameters=${layer.weight.size}`];
  for (const activation of [Sigmoid, Tanh, ReLU, Softplus]) if (layer instanceof activation) return [`nn.${activation.name}`, ''];
  throw new TypeError(`exportPyTorch: no torch.nn translation for ${layer.constructor.name}`);
}

/** The children of a Sequential as Python arguments, one per line at `indent`: nested ones as nn.Sequential. */
function childArguments(sequential: Module, path: string, indent: string): string {
  return sequential.namedChildren().map(([name, child]) => `${indent}${expression(child, childPath(path, name), indent)},\n`).join('');
}

/** A module as a Python expression whose state-dict keys are the module's own. */
function expression(module: Module, path: string, indent: string): string {
  checkExportable('exportPyTorch', module, path);
  if (isSequential(module)) return `nn.Sequential(\n${childArguments(module, path, `${indent}    `)}${indent})`;
  const [cls, args] = constructorOf(module);
  return `${cls}(${args})`;
}

const STANDARDIZE = `

class Standardize(nn.Module):
    """(x - mean) / std per feature, with both as buffers (backprop's Standardize layer)."""

    def __init__(self, features):
        super().__init__()
        self.register_buffer("mean", torch.zeros(features))
        self.register_buffer("std", torch.ones(features))

    def forward(self, x):
        return (x - self.mean) / self.std`;

const SAFETENSORS = `DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "F64": torch.float64,
          "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8, "BOOL": torch.bool}


def load_weights(path):
    """The state dict in a safetensors file (read by the safetensors package if installed)."""
    try:
        from safetensors.torch import load_file
        return load_file(path)
    except ImportError:
        pass
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    header.pop("__metadata__", None)
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        dtype = DTYPES[info["dtype"]]
        raw = bytearray(data[8 + n + begin:8 + n + end])
        flat = torch.frombuffer(raw, dtype=dtype) if raw else torch.empty(0, dtype=dtype)
        tensors[name] = flat.reshape(info["shape"]).clone()
    return tensors


def save_weights(state_dict, path):
    """A state dict as a safetensors file, for backprop's loadSafetensors."""
    names = sorted(state_dict)
    codes = {dtype: code for code, dtype in DTYPES.items()}
    header, chunks, offset = {}, [], 0
    for name in names:
        t = state_dict[name].detach().contiguous().cpu()
        raw = t.numpy().tobytes() if t.numel() else b""
        header[name] = {"dtype": codes[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))
`;

/**
 * The model as PyTorch: Python source of an equivalent torch.nn.Module (class `Model`, whose state-dict keys are
 * the model's own) with `load_weights`/`save_weights` for safetensors files, and the weights as safetensors.
 * `model = Model(); model.load_state_dict(load_weights("model.safetensors"))` in Python gives the same outputs.
 */
export function exportPyTorch(model: Module): { source: string; weights: Uint8Array } {
  if (!(model instanceof Module)) throw new TypeError(`exportPyTorch: expected a Module, got ${describeValue(model)}`);
  checkExportable('exportPyTorch', model, '');
  // Model subclasses the root's class, so its parameters (and a Sequential's children) keep their names.
  const [cls, args] = isSequential(model) ? ['nn.Sequential', `\n${childArguments(model, '', ' '.repeat(12))}        `] : constructorOf(model);
  const usesStandardize = /\bStandardize\(/.test(args) || cls === 'Standardize';
  const source = `# Made by backprop's exportPyTorch: the model as a torch.nn.Module, with a safetensors reader and writer.
import json
import struct

import torch
from torch import nn${usesStandardize ? STANDARDIZE : ''}


class Model(${cls}):
    def __init__(self):
        super().__init__(${args})


${SAFETENSORS}`;
  return { source, weights: saveSafetensors(model.stateDict()) };
}
