// The protobuf wire format, as much as ONNX files need: varints, 32-bit floats and length-delimited fields.
// (https://protobuf.dev/programming-guides/encoding/)

const enum Wire {
  Varint = 0,
  LengthDelimited = 2,
  Fixed32 = 5,
}

/** A protobuf message being written, field by field, in the order the calls come. */
export class ProtoWriter {
  private buffer = new Uint8Array(64);
  private length = 0;

  /** An int32/int64/enum/bool field (negative numbers take ten bytes, as int64 does on the wire). */
  int(field: number, value: number): this {
    this.key(field, Wire.Varint);
    this.varint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.key(field, Wire.Fixed32);
    this.reserve(4);
    new DataView(this.buffer.buffer).setFloat32(this.length, value, true);
    this.length += 4;
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  bytes(field: number, value: Uint8Array): this {
    this.key(field, Wire.LengthDelimited);
    this.varint(value.length);
    this.reserve(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
    return this;
  }

  /** A nested message, written by `write`. */
  message(field: number, write: (message: ProtoWriter) => void): this {
    const nested = new ProtoWriter();
    write(nested);
    return this.bytes(field, nested.finish());
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  private key(field: number, wire: Wire): void {
    this.varint(field * 8 + wire);
  }

  private varint(value: number): void {
    if (!Number.isSafeInteger(value)) throw new RangeError(`protobuf: ${value} is not an integer a varint can hold exactly`);
    let v = BigInt.asUintN(64, BigInt(value));
    this.reserve(10);
    while (v >= 0x80n) {
      this.buffer[this.length++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buffer[this.length++] = Number(v);
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + bytes));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}
