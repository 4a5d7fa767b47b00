"""Reference average-linkage clustering (scipy) for checking src-main/diarization/average-linkage.ts.

L2-normalises the embeddings, then scipy.cluster.hierarchy.linkage(method="average", metric="cosine") (UPGMA on
cosine distance, 1 - similarity), then fcluster(criterion="distance") at each requested threshold.

Input: a raw little-endian float32 .f32 file of embeddings, row-major, --dim values per row.
Output (JSON on stdout): {"linkage": [[left, right, distance, size], ...], "labels": [[...], ...]} with one
list of fcluster's 1-based labels per threshold, in the order given.
"""

import argparse
import json

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", help="raw float32 embeddings, row-major")
    parser.add_argument("--dim", type=int, required=True, help="values per embedding")
    parser.add_argument("--thresholds", default="", help="comma-separated fcluster distance thresholds")
    args = parser.parse_args()

    embeddings = np.fromfile(args.input, dtype="<f4").astype(np.float64).reshape(-1, args.dim)
    embeddings /= np.linalg.norm(embeddings, axis=-1, keepdims=True)
    dendrogram = linkage(embeddings, method="average", metric="cosine")
    thresholds = [float(value) for value in args.thresholds.split(",") if value]
    labels = [fcluster(dendrogram, t, criterion="distance").tolist() for t in thresholds]
    print(json.dumps({"linkage": dendrogram.tolist(), "labels": labels}))


if __name__ == "__main__":
    main()
