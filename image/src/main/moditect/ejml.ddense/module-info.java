// Descriptor the image build adds to the automatic module ejml.ddense (EJML 0.46.1 ships no module-info and no
// Automatic-Module-Name; its jar name gives ejml.ddense) with moditect add-module-info, so that jlink can link it.
// Written by jdeps --generate-module-info --ignore-missing-deps (ejml-core's optional MAT-file support is not used).
module ejml.ddense {
    requires transitive ejml.core;
    requires transitive java.desktop;

    exports org.ejml.dense.block;
    exports org.ejml.dense.block.decomposition.bidiagonal;
    exports org.ejml.dense.block.decomposition.chol;
    exports org.ejml.dense.block.decomposition.hessenberg;
    exports org.ejml.dense.block.decomposition.qr;
    exports org.ejml.dense.block.linsol.chol;
    exports org.ejml.dense.block.linsol.qr;
    exports org.ejml.dense.fixed;
    exports org.ejml.dense.row;
    exports org.ejml.dense.row.decomposition;
    exports org.ejml.dense.row.decomposition.bidiagonal;
    exports org.ejml.dense.row.decomposition.chol;
    exports org.ejml.dense.row.decomposition.eig;
    exports org.ejml.dense.row.decomposition.eig.symm;
    exports org.ejml.dense.row.decomposition.eig.watched;
    exports org.ejml.dense.row.decomposition.hessenberg;
    exports org.ejml.dense.row.decomposition.lu;
    exports org.ejml.dense.row.decomposition.qr;
    exports org.ejml.dense.row.decomposition.svd;
    exports org.ejml.dense.row.decomposition.svd.implicitqr;
    exports org.ejml.dense.row.factory;
    exports org.ejml.dense.row.linsol;
    exports org.ejml.dense.row.linsol.chol;
    exports org.ejml.dense.row.linsol.lu;
    exports org.ejml.dense.row.linsol.qr;
    exports org.ejml.dense.row.linsol.svd;
    exports org.ejml.dense.row.misc;
    exports org.ejml.dense.row.mult;
    exports org.ejml.generic;

}
