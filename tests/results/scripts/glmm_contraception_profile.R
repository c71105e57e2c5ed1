## Generator: lme4 profile-likelihood confidence intervals of the contraception random-intercept GLMM,
## nAGQ = 25 (tight bobyqa), for tests of conf_int(method="profile").
## Run from the repository root:
##   Rscript tests/results/scripts/glmm_contraception_profile.R > /tmp/refs/contra_profile.json
suppressMessages({library(lme4); library(jsonlite)})
d <- read.csv("tests/data/contraception.csv")
d$livch <- factor(d$livch, levels = c("0", "1", "2", "3+"))
d$district <- factor(d$district)
ctrl <- glmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12, maxfun = 1e5))
f <- glmer(use ~ urban + age + livch + (1 | district), data = d, family = binomial, nAGQ = 25,
           control = ctrl)
t0 <- proc.time()[["elapsed"]]
x <- confint(f, method = "profile")
cat(toJSON(list(R = R.version.string, lme4 = as.character(packageVersion("lme4")),
                call = paste("glmer(use ~ urban + age + livch + (1 | district), family = binomial,",
                             "nAGQ = 25, control = glmerControl(optimizer = 'bobyqa',",
                             "optCtrl = list(rhoend = 1e-12, maxfun = 1e5)));",
                             "confint(f, method = 'profile')"),
                loglike = as.numeric(logLik(f)), rows = rownames(x), lower = unname(x[, 1]),
                upper = unname(x[, 2]), seconds = proc.time()[["elapsed"]] - t0),
           digits = NA, auto_unbox = TRUE))
