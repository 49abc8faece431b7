package dev.nabla.models.train;

/** A test listener that stops a run cleanly after {@code at} steps, as Ctrl-C would. */
public final class StopAt implements TrainingListener {
    private final long at;
    private TrainingLoop loop;

    /** Requests the stop when step {@code at} is done. */
    public StopAt(long at) {
        this.at = at;
    }

    @Override
    public void onStart(TrainingLoop loop) {
        this.loop = loop;
    }

    @Override
    public void onStep(long step, double loss) {
        if (step == at) {
            loop.requestStop();
        }
    }
}
