package io.archipelago.coordinator.cache;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * The semantic tier's nearest-neighbour index: one all-MiniLM-L6-v2 embedding (384 dimensions, computed in process;
 * the model loads at first use) per cached answer whose request opted in, in Lucene's HNSW vectors in memory,
 * filtered by account and by the request's other parameters ({@link RequestKey#scope}), so a search never crosses
 * accounts. It holds ids only: the answer, its prompt and whether it is still within the TTL are read from
 * PostgreSQL, so an id the index still holds after its row went is harmless. Rebuilt from the stored embeddings at
 * start and topped up from them by the sweep (answers another node kept).
 */
final class SemanticIndex implements AutoCloseable {

    private static final String VECTOR = "vector";
    private static final String ACCOUNT = "account";
    private static final String SCOPE = "scope";
    private static final String ID = "id";

    private final Supplier<EmbeddingModel> model;
    private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private volatile EmbeddingModel loaded;

    SemanticIndex() {
        this(AllMiniLmL6V2EmbeddingModel::new);
    }

    SemanticIndex(Supplier<EmbeddingModel> model) {
        this.model = model;
        try {
            writer = new IndexWriter(directory, new IndexWriterConfig(new StandardAnalyzer()));
            searchers = new SearcherManager(writer, null);
        } catch (IOException impossible) {
            throw new UncheckedIOException("an index in memory could not open", impossible);
        }
    }

    /** A candidate answer: its entry id and the cosine similarity of its prompt to the one asked. */
    record Neighbour(long id, double cosine) {
    }

    /** The prompt's embedding, unit length. */
    float[] embed(String prompt) {
        EmbeddingModel current = loaded;
        if (current == null) {
            synchronized (this) {
                if (loaded == null) {
                    loaded = model.get();
                }
                current = loaded;
            }
        }
        return current.embed(prompt).content().vector();
    }

    void add(long id, String account, String scope, float[] vector) {
        Document document = new Document();
        document.add(new KnnFloatVectorField(VECTOR, vector, VectorSimilarityFunction.COSINE));
        document.add(new StringField(ACCOUNT, account, Field.Store.NO));
        document.add(new StringField(SCOPE, scope, Field.Store.NO));
        document.add(new StringField(ID, Long.toString(id), Field.Store.YES));
        document.add(new StoredField("entry", id));
        try {
            writer.updateDocument(new Term(ID, Long.toString(id)), document);
            searchers.maybeRefreshBlocking();
        } catch (IOException impossible) {
            throw new UncheckedIOException("an index in memory could not be written", impossible);
        }
    }

    /** The {@code k} nearest answers of {@code account} in {@code scope}, most similar first. */
    List<Neighbour> nearest(String account, String scope, float[] vector, int k) {
        BooleanQuery filter = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(ACCOUNT, account)), BooleanClause.Occur.FILTER)
                .add(new TermQuery(new Term(SCOPE, scope)), BooleanClause.Occur.FILTER)
                .build();
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                TopDocs top = searcher.search(new KnnFloatVectorQuery(VECTOR, vector, k, filter), k);
                List<Neighbour> found = new ArrayList<>();
                for (ScoreDoc hit : top.scoreDocs) {
                    long id = searcher.storedFields().document(hit.doc).getField("entry").numericValue().longValue();
                    // Lucene scores cosine as (1 + cos) / 2
                    found.add(new Neighbour(id, 2.0 * hit.score - 1.0));
                }
                return found;
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException impossible) {
            throw new UncheckedIOException("an index in memory could not be read", impossible);
        }
    }

    /** Forgets every answer of the account. */
    void forget(String account) {
        try {
            writer.deleteDocuments(new Term(ACCOUNT, account));
            searchers.maybeRefreshBlocking();
        } catch (IOException impossible) {
            throw new UncheckedIOException("an index in memory could not be written", impossible);
        }
    }

    @Override
    public void close() throws IOException {
        searchers.close();
        writer.close();
        directory.close();
    }
}
