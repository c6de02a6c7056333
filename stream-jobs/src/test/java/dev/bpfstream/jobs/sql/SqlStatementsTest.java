package dev.bpfstream.jobs.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlStatementsTest {
  @Test
  void splitsAtSemicolonsOutsideQuotesAndComments() {
    assertThat(SqlStatements.split("SELECT ';' FROM t; -- a; comment\nSELECT 2; /* ; */ ;"))
        .containsExactly("SELECT ';' FROM t", "-- a; comment\nSELECT 2");
  }

  @Test
  void nestingCountsParenthesesOutsideQuotesAndComments() {
    assertThat(SqlStatements.nesting("SELECT COUNT(*) FROM (SELECT (1 + (2)) AS x)")).isEqualTo(3);
    assertThat(SqlStatements.nesting("SELECT '((((' , `a(b` -- ((((\n /* (((( */ FROM t")).isZero();
    assertThat(SqlStatements.nesting("SELECT 'it''s ((' || (1)")).isEqualTo(1);
    assertThat(SqlStatements.nesting("(".repeat(5000))).isEqualTo(5000);
  }
}
