import { readFileSync } from 'node:fs';

/** The x86 flags of an 8-bit dot product that takes unsigned × signed bytes without saturating. */
const VNNI_FLAGS = ['avx512_vnni', 'avx_vnni'];

/**
 * Whether this CPU multiplies uint8 activations by int8 weights exactly and fast (AVX512-VNNI or AVX-VNNI).
 * Without VNNI, onnxruntime's x86 u8·s8 kernel adds pairs of products in 16 bits with saturation (vpmaddubsw),
 * which can clip: weights then stay unsigned. Read from /proc/cpuinfo; false where it cannot be known (other
 * systems, other architectures), which keeps the model as it is.
 */
export function hasExactInt8DotProduct(cpuinfo: () => string = () => readFileSync('/proc/cpuinfo', 'utf8')): boolean {
  if (process.arch !== 'x64' || process.platform !== 'linux') return false;
  try {
    const flags = new Set(/^flags\s*:\s*(.*)$/m.exec(cpuinfo())?.[1]?.split(/\s+/) ?? []);
    return VNNI_FLAGS.some((flag) => flags.has(flag));
  } catch {
    return false;
  }
}
