import { FfmpegAudioDecoder } from './src-main/audio/decoder';
import { embeddingProfile } from './src-main/diarization/diarization-models';
import { diarizeSamples } from './src-main/diarization/diarize-audio';
import { loadDiarizationModels } from './src-main/diarization/file-diarizer';
const profile = embeddingProfile('campplus-3dspeaker-zh_en-common');
const dec = FfmpegAudioDecoder.create(); if (!dec.ok) throw new Error();
const parts: Float32Array[] = []; for await (const i of dec.value.decode(process.argv[2]!)) { if (!i.ok) throw new Error(); parts.push(i.value.samples); }
const a = new Float32Array(parts.reduce((t, p) => t + p.length, 0)); let o = 0; for (const p of parts) { a.set(p, o); o += p.length; }
const m = await loadDiarizationModels({ segmentation: '/work/shared/models/pyannote-segmentation-3.0/onnx/model.onnx', embedding: '/work/shared/models/campplus-3dspeaker-zh_en-common/onnx/model.onnx', embeddingProfile: profile });
if (!m.ok) throw new Error();
const fr = (f: number) => ((f * 270 + 495) / 16000).toFixed(2);
const r = await diarizeSamples(a, m.value, { clusteringThreshold: profile.speakerThreshold, onClustering: (ins) => {
  for (const p of ins.pieces) console.log(`track ${p.track} ${fr(p.frames[0]!)}-${fr(p.frames[p.frames.length-1]!)} n=${p.frames.length} emb=${p.embedding} w=${p.embedding>=0?ins.weights[p.embedding]!.toFixed(2):'-'} label=${p.embedding>=0?ins.labels[p.embedding]:'-'}`);
}});
await Promise.all([m.value.segmenter.dispose(), m.value.embedder.dispose(), m.value.vad?.dispose()]);
