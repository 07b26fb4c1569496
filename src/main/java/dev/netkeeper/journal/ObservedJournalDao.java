package dev.netkeeper.journal;

import org.apache.pekko.persistence.jdbc.config.JournalConfig;
import org.apache.pekko.persistence.jdbc.journal.dao.DefaultJournalDao;
import org.apache.pekko.persistence.jdbc.journal.dao.JournalTables;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.stream.Materializer;
import scala.Tuple2;
import scala.collection.immutable.Seq;
import scala.collection.immutable.Set;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;
import scala.runtime.BoxedUnit;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcProfile;

/**
 * pekko-persistence-jdbc's journal DAO (set as {@code jdbc-journal.dao}), unchanged, that reports the outcome of
 * each batch it writes to {@link JournalHealth}. A batch is one transaction: the events of the commands that
 * waited for it, one commit (and, for the embedded journal, one sync).
 */
public final class ObservedJournalDao extends DefaultJournalDao {
    private final JournalHealth health;

    public ObservedJournalDao(JdbcBackend.JdbcDatabaseDef db, JdbcProfile profile, JournalConfig journalConfig,
                              Serialization serialization, ExecutionContext ec, Materializer mat) {
        super(db, profile, journalConfig, serialization, ec, mat);
        this.health = JournalHealth.of(mat.system());
    }

    @Override
    public Future<BoxedUnit> writeJournalRows(Seq<Tuple2<JournalTables.JournalPekkoSerializationRow, Set<String>>> rows) {
        Future<BoxedUnit> written = super.writeJournalRows(rows);
        written.onComplete(outcome -> {
            if (outcome.isSuccess()) {
                health.written();
            } else {
                health.failed(outcome.failed().get());
            }
            return BoxedUnit.UNIT;
        }, ec());
        return written;
    }
}
