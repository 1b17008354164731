package studio.grounding.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Java heap tensors to and from NDArrays. Every exported part takes and returns float32 whatever its compute dtype
 * (export/io_wrappers.py): DJL 0.35.1 aborts the JVM when it casts an NDArray to bfloat16, so Java never casts.
 */
final class NdTensors {

    private NdTensors() {}

    static NDArray toNd(NDManager manager, FloatTensor t) {
        return manager.create(t.data(), new Shape(t.shape()));
    }

    static FloatTensor fromNd(NDArray a) {
        if (a.getDataType() != DataType.FLOAT32) {
            throw new IllegalStateException("a GLaMM part returned " + a.getDataType() + ", not float32: the model "
                    + "directory was not written by export_glamm.py with float32 I/O");
        }
        return new FloatTensor(a.toFloatArray(), a.getShape().getShape());
    }
}
